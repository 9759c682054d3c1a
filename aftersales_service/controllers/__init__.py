from . import portal
from . import service_record_portal
from . import portal_policy
from . import xlsx
from . import portal_callback
from . import portal_recall
