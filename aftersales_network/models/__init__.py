from . import (
    aftersales_outlet_access_mixin,
    res_company,
    res_config_settings,
    aftersales_outlet_level,
    aftersales_outlet_region,
    aftersales_outlet_criterion,
    aftersales_outlet,
    aftersales_outlet_engineer,
    aftersales_outlet_evaluation,
    aftersales_outlet_agreement,
    aftersales_ticket,
    aftersales_service_record,
    repair_order,
    aftersales_outlet_fee_deviation,
    aftersales_outlet_report,
)
from . import aftersales_outlet_finder
from . import aftersales_indicator
from . import aftersales_outlet_standby
