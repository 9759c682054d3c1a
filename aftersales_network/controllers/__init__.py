from . import portal, outlet_supervision
from . import outlet_finder
