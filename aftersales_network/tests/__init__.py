from . import (
    test_access,
    test_dispatch,
    test_outlet,
    test_portal,
    test_service_record_portal,
    test_supervision,
    test_report_portal,
    test_concurrency,
    test_repair_deviation,
    test_menu_access,
    test_portal_tour,
)
from . import test_outlet_finder
from . import test_indicator_outlet
from . import test_outlet_standby
