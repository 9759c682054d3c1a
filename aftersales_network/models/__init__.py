from . import (
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
)
