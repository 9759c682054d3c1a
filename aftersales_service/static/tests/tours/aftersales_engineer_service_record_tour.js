/** @odoo-module **/

import { waitUntil } from "@odoo/hoot-dom";
import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

// The engineer fills in the service record of a visit, has the customer sign and hands it in.
registry.category("web_tour.tours").add("aftersales_engineer_service_record_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the After-Sales app",
            trigger: '.o_app[data-menu-xmlid="aftersales_service.menu_aftersales_root"]',
            run: "click",
        },
        {
            trigger: '.o_menu_sections button:contains("Requests")',
            run: "click",
        },
        {
            content: "Open the service records",
            trigger: '.dropdown-item[data-menu-xmlid="aftersales_service.menu_aftersales_service_record"]',
            run: "click",
        },
        {
            content: "Open the record of today's visit",
            trigger: ".o_data_row:contains(Hangzhou Water Works) .o_data_cell",
            run: "click",
        },
        {
            content: "What was done on site",
            trigger: ".o_field_widget[name=work_done] .odoo-editor-editable",
            run: "editor Replaced the mechanical seal; pump tested at 6 bar for 30 minutes.",
        },
        {
            content: "The customer's page",
            trigger: '.o_notebook a:contains("Customer")',
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=customer_opinion] textarea",
            run: "edit Quick and tidy work.",
        },
        {
            trigger: ".o_field_widget[name=signed_by] input",
            run: "edit Mr Zhou",
        },
        {
            content: "The customer signs",
            trigger: ".o_field_widget[name=signature] .o_signature",
            run: "click",
        },
        {
            content: "The signature is drawn from the name of who signs",
            trigger: ".modal canvas.o_web_sign_signature",
            async run(helpers) {
                await waitUntil(() => {
                    const canvas = helpers.anchor;
                    const context = canvas.getContext("2d");
                    const data = context.getImageData(0, 0, canvas.width, canvas.height);
                    return new Uint32Array(data.data.buffer).some((pixel) => pixel !== 0);
                });
            },
        },
        {
            content: "Adopt the signature",
            trigger: ".modal .modal-footer .btn-primary:enabled",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=signature] img.o_signature",
        },
        {
            content: "Hand the record in",
            trigger: ".o_form_view .o_statusbar_buttons button[name=action_submit]",
            run: "click",
        },
        {
            content: "Confirm the hand-in",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The record is handed in",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Handed In)",
        },
    ],
});
