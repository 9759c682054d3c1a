from . import portal
from . import complaint_register
from . import service_record_portal
from . import portal_policy
from . import evaluation_export
