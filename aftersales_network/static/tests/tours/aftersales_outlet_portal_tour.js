/** @odoo-module **/

import { waitUntil } from "@odoo/hoot-dom";
import { registry } from "@web/core/registry";

// The outlet accepts a dispatched request in the portal, then fills in, has signed and hands
// in its service record.
registry.category("web_tour.tours").add("aftersales_outlet_portal_tour", {
    url: "/my/outlet",
    steps: () => [
        {
            content: "Open the request dispatched to the outlet",
            trigger: "tr:contains(Install two booster pumps) a[href^='/my/outlet/request/']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Accept it",
            trigger: "button[type=submit]:contains(Accept the Request)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Write its service record",
            trigger: "button[type=submit]:contains(Write a Service Record)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "textarea[name=work_done]",
            run: "edit Installed two booster pumps, pressure set to 4 bar, tested one hour.",
        },
        {
            trigger: "textarea[name=customer_opinion]",
            run: "edit Clean installation, well explained.",
        },
        {
            content: "Save what was done",
            trigger: "form:has(textarea[name=work_done]) button[type=submit]:contains(Save)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The customer signs",
            trigger: ".o_web_sign_name_and_signature input",
            run: "edit Mr Zhou",
        },
        {
            trigger: "canvas.o_web_sign_signature",
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
            trigger: ".o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The signature is on the record",
            trigger: "img[alt=Signature]",
        },
        {
            content: "Hand the record in",
            trigger: "button[type=submit]:contains(Hand In the Record)",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: "body:not(:has(button:contains(Hand In the Record)))",
        },
    ],
});
