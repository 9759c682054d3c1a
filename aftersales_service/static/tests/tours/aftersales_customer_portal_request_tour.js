/** @odoo-module **/

import { registry } from "@web/core/registry";

// A customer asks for a repair from the portal.
registry.category("web_tour.tours").add("aftersales_customer_portal_request_tour", {
    url: "/my/aftersales/new",
    steps: () => [
        {
            content: "The subject",
            trigger: "form.o_aftersales_portal_form input[name=title]",
            run: "edit Circulation pump hums and does not start",
        },
        {
            content: "A repair",
            trigger: "form.o_aftersales_portal_form select[name=ticket_type_id]",
            run: "selectByLabel Repair",
        },
        {
            trigger: "form.o_aftersales_portal_form textarea[name=customer_request]",
            run: "edit A technician on site this week",
        },
        {
            trigger: "form.o_aftersales_portal_form textarea[name=description]",
            run: "edit Since Monday the pump in building 3 hums but the impeller does not turn.",
        },
        {
            content: "Send it",
            trigger: "form.o_aftersales_portal_form button[type=submit]",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The request is registered",
            trigger: ".alert-success[role=status]",
        },
        {
            trigger: "body:contains(Circulation pump hums and does not start)",
        },
    ],
});
