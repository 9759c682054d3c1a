from . import test_certificate
from . import test_application
from . import test_recertification
from . import test_company_change
from . import test_audit
from . import test_scheme_notice
from . import test_access
from . import test_reports
