{
    "name": "After-Sales Service Network",
    "summary": "Authorised service outlets and providers: admission, evaluation, agreements, "
    "authorisation and dispatch",
    "version": "18.0.1.0.0",
    "category": "Services/After-Sales",
    "website": "https://github.com/aftersales-suite/aftersales",
    "author": "After-Sales Suite",
    "license": "LGPL-3",
    "depends": ["aftersales_service"],
    "data": [
        "security/ir.model.access.csv",
        "security/aftersales_network_security.xml",
        "data/aftersales_network_data.xml",
        "report/aftersales_outlet_letter.xml",
        "views/aftersales_outlet_views.xml",
        "views/aftersales_outlet_standby_views.xml",
        "views/aftersales_network_config_views.xml",
        "views/aftersales_ticket_views.xml",
        "views/aftersales_outlet_report_views.xml",
        "views/aftersales_indicator_views.xml",
        "views/repair_order_views.xml",
        "views/portal_templates.xml",
        "views/portal_service_record_templates.xml",
        "views/outlet_finder_templates.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["aftersales_network/static/tests/tours/**/*"],
    },
    "demo": [
        "demo/aftersales_network_demo.xml",
    ],
}
