from . import portal
from . import complaint_register
