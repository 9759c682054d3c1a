{
    "name": "After-Sales Service",
    "summary": "After-sales requests, complaints, service records and service policies",
    "version": "18.0.1.0.0",
    "category": "Services/After-Sales",
    "website": "https://github.com/aftersales-suite/aftersales",
    "author": "After-Sales Suite",
    "license": "LGPL-3",
    "application": True,
    "depends": ["mail", "portal", "rating", "sale_stock", "repair", "hr"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/aftersales_security.xml",
        "security/ir.model.access.csv",
        "views/aftersales_corrective_action_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
}
