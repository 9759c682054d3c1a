/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// The team leader, head of the after-sales department, approves a severe complaint's solution.
registry.category("web_tour.tours").add("aftersales_leader_approval_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the After-Sales app",
            trigger: '.o_app[data-menu-xmlid="aftersales_service.menu_aftersales_root"]',
            run: "click",
        },
        {
            trigger: '.o_menu_sections button:contains("Quality")',
            run: "click",
        },
        {
            content: "The approvals waiting for the department",
            trigger: '.dropdown-item[data-menu-xmlid="aftersales_service.menu_aftersales_complaint_approval"]',
            run: "click",
        },
        {
            content: "Decide on the severe complaint",
            trigger: ".o_data_row:contains(Hangzhou Water Works) button[name]:contains(Decide)",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=comment] textarea",
            run: "edit Agreed: replace the pump and check the seal batch.",
        },
        {
            content: "Approve",
            trigger: ".modal button[name=action_approve]",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Nothing waits any more",
            trigger: ".o_list_renderer:not(:has(.o_data_row:contains(Hangzhou Water Works)))",
        },
    ],
});
