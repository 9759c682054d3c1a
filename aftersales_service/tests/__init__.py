from . import test_corrective_action
from . import test_foundation
from . import test_performance
from . import test_portal
from . import test_ticket
from . import test_complaint
from . import test_complaint_output
