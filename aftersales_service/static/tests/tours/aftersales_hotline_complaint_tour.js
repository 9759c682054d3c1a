/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// The hotline clerk registers a customer's complaint from the requests' kanban quick create.
registry.category("web_tour.tours").add("aftersales_hotline_complaint_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the After-Sales app",
            trigger: '.o_app[data-menu-xmlid="aftersales_service.menu_aftersales_root"]',
            run: "click",
        },
        {
            content: "Register a request in the kanban",
            trigger: ".o_kanban_renderer .o-kanban-button-new, .o_control_panel .o-kanban-button-new",
            run: "click",
        },
        {
            content: "The caller's company",
            trigger: ".o_kanban_quick_create .o_field_widget[name=partner_id] input",
            run: "edit Hangzhou Water Works",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains(Hangzhou Water Works)",
            run: "click",
        },
        {
            content: "What the customer complains about",
            trigger: ".o_kanban_quick_create .o_field_widget[name=title] input",
            run: "edit Booster pump stops twice a day",
        },
        {
            content: "It is a complaint",
            trigger: ".o_kanban_quick_create .o_field_widget[name=ticket_type_id] input",
            run: "edit Complaint",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains(Complaint)",
            run: "click",
        },
        {
            content: "Add it",
            trigger: ".o_kanban_quick_create .o_kanban_add",
            run: "click",
        },
        {
            content: "The complaint is on the board",
            trigger: ".o_kanban_record:contains(Booster pump stops twice a day)",
        },
    ],
});
