from odoo.tests import HttpCase, tagged

from .common import NetworkCase

# the outlets, their regions, levels and partners read in one query each, whatever their
# number (measured 10 for 11 outlets)
FINDER_BUDGET = 12


@tagged("post_install", "-at_install")
class TestOutletFinder(NetworkCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outlet_a.partner_id.write(
            {"city": "Hangzhou", "street": "1 Wensan Road", "phone": "+86 571 8888 0001"}
        )
        cls.outlet_a.opening_hours = "Mon-Sat 8:30-17:30"
        cls.candidate = cls._make_outlet(
            "C", "Ningbo Candidate", cls.region_zhejiang, authorize=False
        )

    def test_province_city_and_postcode_find_the_outlets_serving_them(self):
        Outlet = self.env["aftersales.outlet"]
        self.assertEqual(Outlet._finder_search(state=self.zhejiang), self.outlet_a)
        self.assertEqual(Outlet._finder_search(zip_code="310012"), self.outlet_a)
        self.assertEqual(Outlet._finder_search(city="Suzhou"), self.outlet_b)
        self.assertFalse(Outlet._finder_search(zip_code="100000"))
        self.assertFalse(Outlet._finder_search())
        self.assertIn(self.zhejiang, Outlet._finder_provinces())

    def test_only_authorised_outlets_with_a_valid_agreement(self):
        Outlet = self.env["aftersales.outlet"]
        # a candidate serving the province is not listed
        self.assertNotIn(self.candidate, Outlet._finder_search(state=self.zhejiang))
        # an authorised outlet whose agreement lapsed disappears
        self.outlet_b.agreement_ids.write(
            {
                "date_start": self.today.replace(year=self.today.year - 2),
                "date_end": self.today.replace(year=self.today.year - 1),
            }
        )
        self.assertFalse(Outlet._finder_search(city="Suzhou"))

    def test_suspended_outlet_disappears_from_the_page(self):
        page = self.url_open(f"/aftersales/outlets?state_id={self.zhejiang.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Hangzhou Pump Service", page.text)
        self.assertIn("Mon-Sat 8:30-17:30", page.text)
        self.assertIn("+86 571 8888 0001", page.text)
        self.assertNotIn("Ningbo Candidate", page.text)
        self.outlet_a.action_suspend()
        page = self.url_open(f"/aftersales/outlets?state_id={self.zhejiang.id}")
        self.assertNotIn("Hangzhou Pump Service", page.text)
        self.assertIn("o_outlet_finder_none", page.text)

    def test_page_is_public_in_chinese_and_english(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["aftersales_network"], ["zh_CN"])
        page = self.url_open("/aftersales/outlets?zip=310012&lang=en_US")
        self.assertIn("Find an Authorised Service Outlet", page.text)
        self.assertIn("Hangzhou Pump Service", page.text)
        page = self.url_open("/aftersales/outlets?zip=310012&lang=zh_CN")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Hangzhou Pump Service", page.text)
        self.assertIn("浙江省", page.text)
        # the page's own terms load once the .pot lists them (PoFileReader merges the .pot)

    def test_finder_query_budget(self):
        Outlet = self.env["aftersales.outlet"].with_user(self.env.ref("base.public_user")).sudo()
        for index in range(10):
            self._make_outlet(f"Z{index}", f"Zhejiang outlet {index}", self.region_zhejiang)
        self.env.invalidate_all()
        with self.assertQueryCount(FINDER_BUDGET):
            outlets = Outlet._finder_search(state=self.zhejiang)
            for outlet in outlets:
                outlet.level_ids.mapped("name")
                outlet.partner_id.mapped("phone")
                outlet.partner_id.state_id.mapped("name")
        self.assertEqual(len(outlets), 11)
