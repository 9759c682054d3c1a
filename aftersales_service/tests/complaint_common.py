from odoo.tests import new_test_user

from .common import AftersalesCase


class ComplaintCase(AftersalesCase):
    """Departments with managers who are users, the approving departments of severe complaints."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups_user = "aftersales_service.group_aftersales_user"
        cls.tech_head = new_test_user(cls.env, "as_tech_head", groups=groups_user, name="Wu Gang")
        cls.prod_head = new_test_user(cls.env, "as_prod_head", groups=groups_user, name="Zheng Hai")
        cls.general_manager = new_test_user(
            cls.env,
            "as_general_manager",
            groups="aftersales_service.group_aftersales_general_manager",
            name="General Manager Sun",
        )
        Employee = cls.env["hr.employee"]
        Department = cls.env["hr.department"]
        cls.dep_technical = Department.create({"name": "Technical Dept"})
        cls.dep_production = Department.create({"name": "Production Dept"})
        cls.dep_technical.manager_id = Employee.create(
            {"name": "Wu Gang", "user_id": cls.tech_head.id, "department_id": cls.dep_technical.id}
        )
        cls.dep_production.manager_id = Employee.create(
            {
                "name": "Zheng Hai",
                "user_id": cls.prod_head.id,
                "department_id": cls.dep_production.id,
            }
        )
        cls.engineer = Employee.create({"name": "Zhang Wei"})
        cls.company.aftersales_approval_department_ids = cls.dep_technical | cls.dep_production
        cls.stage_solution = cls.env.ref("aftersales_service.stage_solution")
        cls.stage_execute = cls.env.ref("aftersales_service.stage_execute")
        cls.stage_cancelled = cls.env.ref("aftersales_service.stage_cancelled")

    def create_complaint(self, **values):
        vals = {
            "title": "Booster set trips at night",
            "ticket_type_id": self.type_complaint.id,
            "complaint_category": "quality",
            "severity": "minor",
            "responsible_department_id": self.dep_technical.id,
            "root_cause": "Deceleration time too short",
            "user_id": self.user.id,
        }
        vals.update(values)
        return self.create_ticket(**vals).with_user(self.user)
