from . import aftersales_corrective_action
from . import res_config_settings
