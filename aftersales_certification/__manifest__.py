{
    "name": "After-Sales Certification",
    "summary": "After-sales certificates (GB/T 27922, ISO 9001...), audits, change and "
    "recertification applications",
    "version": "18.0.1.0.0",
    "category": "Services/After-Sales",
    "website": "https://github.com/aftersales-suite/aftersales",
    "author": "After-Sales Suite",
    "license": "LGPL-3",
    "depends": ["aftersales_service"],
}
