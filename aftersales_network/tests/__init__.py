from . import test_access, test_dispatch, test_outlet, test_portal
