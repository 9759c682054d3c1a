"""The customer answers the satisfaction survey through the link e-mailed to them, no login."""

from odoo import fields, http
from odoo.exceptions import UserError
from odoo.http import request


class CallbackSurvey(http.Controller):
    def _callback_from_token(self, callback_id, token):
        # sudo: the token is the customer's right to this one survey, checked right here
        callback = request.env["aftersales.callback"].sudo().browse(callback_id).exists()
        if not callback or not callback._check_token(token):
            raise request.not_found()
        return callback

    def _render(self, callback, **values):
        callback = callback.with_context(lang=callback.partner_id.lang or request.env.lang)
        today = fields.Date.context_today(callback)
        expired = callback.token_expiry_date and callback.token_expiry_date < today
        return request.render(
            "aftersales_service.portal_callback_survey",
            {
                "callback": callback,
                "token": callback.access_token,
                "expired": expired,
                "answered": callback.state != "planned",
                **values,
            },
        )

    @http.route(
        "/aftersales/callback/<int:callback_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
    )
    def callback_survey(self, callback_id, token, **kwargs):
        return self._render(self._callback_from_token(callback_id, token))

    @http.route(
        "/aftersales/callback/<int:callback_id>/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def callback_survey_answer(self, callback_id, token, **post):
        callback = self._callback_from_token(callback_id, token)
        today = fields.Date.context_today(callback)
        if callback.state != "planned" or (
            callback.token_expiry_date and callback.token_expiry_date < today
        ):
            return self._render(callback)
        scores = {
            answer.id: (post.get(f"expected_{answer.id}"), post.get(f"actual_{answer.id}"))
            for answer in callback.answer_ids
        }
        try:
            callback._record_online_answers(scores, (post.get("opinion") or "").strip())
        except UserError as error:
            return self._render(callback, error=error.args[0])
        return self._render(callback, thanks=True)
