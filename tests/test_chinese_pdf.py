"""Each PDF report of the suite prints in Chinese: a CJK font is embedded and the Chinese is there.

The PDFs are made by wkhtmltopdf, as in production; without it, or without a CJK font (Debian's
fonts-noto-cjk, see README.md), these tests fail: they never skip.
"""

import io
import re
import unicodedata

from PyPDF2 import PdfReader

from odoo.tests import tagged

from odoo.addons.aftersales_certification.tests import common as certification_common
from odoo.addons.aftersales_network.tests import common as network_common
from odoo.addons.aftersales_service.tests import complaint_common, service_common, test_policy

ADDONS = ["aftersales_service", "aftersales_network", "aftersales_certification"]
CHINESE = "zh_CN"
# font families that carry the Chinese glyphs (subset names like ABCDEF+NotoSansCJKsc-Regular)
CJK_FONT = re.compile(rb"/FontName\s*/(?:[A-Z]{6}\+)?[^\s/]*(?:CJK|WenQuanYi|WQY|SourceHan)", re.I)


class ChinesePdfMixin:
    """Chinese loaded for the suite's addons; render a report and check its PDF."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang(CHINESE)
        cls.env["ir.module.module"]._load_module_terms(ADDONS, [CHINESE])

    def assertChinesePdf(self, report, records, user, *chinese):
        """Render report for records as user (in Chinese); each Chinese text is in the PDF."""
        self.assertEqual(
            self.env["ir.actions.report"].get_wkhtmltopdf_state(),
            "ok",
            "wkhtmltopdf is needed for the PDF reports (Debian: apt-get install wkhtmltopdf)",
        )
        user.lang = CHINESE
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(lang=CHINESE, force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertRegex(
            pdf,
            CJK_FONT,
            "no CJK font embedded in the PDF: Chinese prints as empty boxes "
            "(Debian: apt-get install fonts-noto-cjk)",
        )
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        # the fonts map some ideographs to their radical look-alikes: compare them normalised
        text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
        for expected in chinese:
            self.assertIn(expected, text)
        return text


@tagged("post_install", "-at_install")
class TestComplaintFormInChinese(ChinesePdfMixin, complaint_common.ComplaintCase):
    def test_complaint_handling_form(self):
        complaint = self.create_complaint(title="夜间增压泵组跳闸")
        self.assertChinesePdf(
            "aftersales_service.action_report_complaint_handling_form",
            complaint,
            self.user,
            "严重程度",  # Severity
            "夜间增压泵组跳闸",
        )


@tagged("post_install", "-at_install")
class TestServiceRecordInChinese(ChinesePdfMixin, service_common.ServiceCase):
    def test_service_record(self):
        record = self.create_record(signature=service_common.SIGNATURE, signed_by="周先生")
        self.assertChinesePdf(
            "aftersales_service.action_report_service_record",
            record,
            self.user,
            "售后服务纪录",  # After-Sales Service Record
            "周先生",
        )


@tagged("post_install", "-at_install")
class TestPolicyVolumeInChinese(ChinesePdfMixin, test_policy.PolicyCase):
    def test_policy_volume(self):
        policy = self.make_policy(name="保修期规定", content="<p>水泵自调试之日起保修24个月。</p>")
        self.assertChinesePdf(
            "aftersales_service.action_report_aftersales_policy_volume",
            policy,
            self.manager,
            "售后服务制度",  # After-Sales Service Policies
            "目录",  # Contents
            "水泵自调试之日起保修24个月",
        )


@tagged("post_install", "-at_install")
class TestAuthorisationLetterInChinese(ChinesePdfMixin, network_common.NetworkCase):
    def test_authorisation_letter(self):
        outlet = self.outlet_a
        outlet.partner_id.lang = CHINESE
        self.assertChinesePdf(
            "aftersales_network.action_report_outlet_letter",
            outlet,
            self.network_manager,
            "授权书",  # Authorisation Letter
        )


@tagged("post_install", "-at_install")
class TestApplicationLetterInChinese(ChinesePdfMixin, certification_common.CertificationCase):
    def test_application_letter(self):
        certificate = self.create_certificate()
        certificate.body_id.lang = CHINESE
        application = self.Application.create(
            {
                "certificate_id": certificate.id,
                "application_type": "change",
                "change_kind": "certificate_info",
                "new_registered_address": "浙江省杭州市余杭区良渚街道好运街168号",
            }
        )
        self.assertChinesePdf(
            "aftersales_certification.action_report_certification_application_letter",
            application,
            self.as_user,
            "变更申请书",  # Application for Change
            "浙江省杭州市余杭区良渚街道好运街168号",
        )
