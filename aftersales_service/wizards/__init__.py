from . import aftersales_complaint_decide
