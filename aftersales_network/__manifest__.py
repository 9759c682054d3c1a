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
}
