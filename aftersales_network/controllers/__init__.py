from . import portal, outlet_supervision
