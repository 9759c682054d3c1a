from odoo import Command

from .service_common import ServiceCase


class PolicyTrainingCase(ServiceCase):
    """Published policies, a job requiring some, and two employees holding it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category = cls.env["aftersales.policy.category"].create(
            {"name": "Test policies", "code": "test_training"}
        )
        cls.etiquette = cls.publish_new("TP-ETQ", "Staff etiquette")
        cls.warranty_policy = cls.publish_new("TP-WAR", "Warranty periods")
        cls.fee_policy = cls.publish_new("TP-FEE", "Repair fee standards")
        cls.commitment_policy = cls.publish_new("TP-COM", "Repair commitments")
        cls.job = cls.env["hr.job"].create(
            {
                "name": "Service Engineer",
                "aftersales_policy_ids": [Command.set([cls.etiquette.id, cls.fee_policy.id])],
            }
        )
        Employee = cls.env["hr.employee"]
        cls.emp_clerk = Employee.create(
            {"name": "Clerk Wang", "user_id": cls.user.id, "job_id": cls.job.id}
        )
        cls.emp_colleague = Employee.create(
            {"name": "Li Na", "user_id": cls.colleague.id, "job_id": cls.job.id}
        )
        cls.emp_trainer = Employee.create({"name": "Trainer Gao"})
        cls.train(cls.emp_colleague, cls.etiquette | cls.fee_policy)

    @classmethod
    def publish_new(cls, number, name):
        policy = cls.env["aftersales.policy"].create(
            {"number": number, "name": name, "category_id": cls.category.id}
        )
        policy.state = "approved"
        policy.with_user(cls.manager).action_publish()
        return policy

    @classmethod
    def publish_revision(cls, policy):
        """Publish revision n+1 of ``policy``; returns it (``policy`` becomes obsolete)."""
        new = policy.copy(
            {
                "revision_letter": policy.revision_letter,
                "revision_number": policy.revision_number + 1,
                "previous_id": policy.id,
                "state": "draft",
            }
        )
        new.state = "approved"
        new.with_user(cls.manager).action_publish()
        return new

    @classmethod
    def train(cls, employee, policies, result="passed", **values):
        return cls.env["aftersales.policy.training"].create(
            [
                {
                    "employee_id": employee.id,
                    "policy_id": policy.id,
                    "trainer_id": cls.emp_trainer.id,
                    "result": result,
                    "hours": 2.0,
                    **values,
                }
                for policy in policies
            ]
        )
