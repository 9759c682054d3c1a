from collections import defaultdict

from odoo import api, fields, models

from ..report.xlsx import Column
from .hr_employee import TRAINING_STATUSES


class AftersalesEvaluation(models.Model):
    """Year-end evaluation (年终考评) of departments and staff, one line per fact.

    Facts: nonconformity reports against a department, service-attitude complaints about an
    employee, customer ratings of the requests an employee handled, passed trainings, and one
    line per employee whose job requires policies, carrying the current training status.
    """

    _name = "aftersales.evaluation"
    _inherit = ["aftersales.xlsx.mixin"]
    _description = "Year-End Evaluation"
    _auto = False
    _order = "year desc, department_id, employee_id"
    _rec_name = "employee_id"

    year = fields.Integer(readonly=True, aggregator=None)
    company_id = fields.Many2one("res.company", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    fact = fields.Selection(
        [
            ("nonconformity", "Nonconformity"),
            ("complaint", "Attitude Complaint"),
            ("rating", "Customer Rating"),
            ("training", "Training"),
            ("status", "Training Status"),
        ],
        readonly=True,
    )
    nonconformity_count = fields.Integer(string="Nonconformities", readonly=True)
    complaint_count = fields.Integer(string="Attitude Complaints", readonly=True)
    rating_count = fields.Integer(string="Ratings", readonly=True)
    satisfied_count = fields.Integer(string="Satisfied Ratings", readonly=True)
    satisfaction = fields.Float(
        string="Satisfaction (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the customer ratings that are satisfied.",
    )
    rating_value = fields.Float(string="Average Rating", readonly=True, aggregator="avg")
    training_count = fields.Integer(string="Trainings Passed", readonly=True)
    training_hours = fields.Float(readonly=True)
    missing_training_count = fields.Integer(
        string="Staff Missing Training", readonly=True, help="Employees with missing trainings."
    )
    training_status = fields.Selection(TRAINING_STATUSES, readonly=True)

    @property
    def _table_query(self):
        # a customer rating (1, 3 or 5 in Odoo's scale) of 4 or more counts as satisfied
        return """
            SELECT row_number() OVER (ORDER BY f.fact, f.source_id) AS id, f.*,
                   emp.aftersales_training_status AS training_status
              FROM (
                SELECT 'nonconformity' AS fact, n.id AS source_id,
                       EXTRACT(YEAR FROM n.date)::int AS year, n.company_id,
                       n.department_id, NULL::int AS employee_id,
                       1 AS nonconformity_count, 0 AS complaint_count, 0 AS rating_count,
                       0 AS satisfied_count, NULL::float AS satisfaction,
                       NULL::float AS rating_value, 0 AS training_count,
                       0.0::float AS training_hours, 0 AS missing_training_count
                  FROM aftersales_nonconformity n
                 WHERE n.state != 'draft'
                UNION ALL
                SELECT 'complaint', t.id, EXTRACT(YEAR FROM t.request_date)::int, t.company_id,
                       e.department_id, e.id, 0, 1, 0, 0, NULL, NULL, 0, 0.0, 0
                  FROM aftersales_ticket t
                  JOIN hr_employee e ON e.id = t.attitude_employee_id
                 WHERE t.is_attitude_complaint
                UNION ALL
                SELECT 'rating', r.id, EXTRACT(YEAR FROM t.request_date)::int, t.company_id,
                       e.department_id, e.id, 0, 0, 1,
                       CASE WHEN r.rating >= 4 THEN 1 ELSE 0 END,
                       CASE WHEN r.rating >= 4 THEN 100.0 ELSE 0.0 END,
                       r.rating, 0, 0.0, 0
                  FROM rating_rating r
                  JOIN aftersales_ticket t ON t.id = r.res_id
                  JOIN LATERAL (
                        SELECT he.id, he.department_id FROM hr_employee he
                         WHERE he.user_id = t.user_id AND he.company_id = t.company_id
                         ORDER BY he.active DESC, he.id LIMIT 1
                  ) e ON TRUE
                 WHERE r.res_model = 'aftersales.ticket' AND r.consumed AND r.rating > 0
                UNION ALL
                SELECT 'training', tr.id, EXTRACT(YEAR FROM tr.date)::int, tr.company_id,
                       e.department_id, e.id, 0, 0, 0, 0, NULL, NULL, 1, tr.hours, 0
                  FROM aftersales_policy_training tr
                  JOIN hr_employee e ON e.id = tr.employee_id
                 WHERE tr.result = 'passed'
                UNION ALL
                SELECT 'status', e.id, EXTRACT(YEAR FROM NOW() AT TIME ZONE 'UTC')::int,
                       e.company_id, e.department_id, e.id, 0, 0, 0, 0, NULL, NULL, 0, 0.0,
                       CASE WHEN e.aftersales_training_status = 'missing' THEN 1 ELSE 0 END
                  FROM hr_employee e
                 WHERE e.active AND e.aftersales_training_status IN ('trained', 'missing')
              ) f
              LEFT JOIN hr_employee emp ON emp.id = f.employee_id
        """

    # ---------------------------------------------------------------------------------------
    # XLSX export
    # ---------------------------------------------------------------------------------------
    def action_export_xlsx(self):
        """Download the evaluation of the year of the selected lines (this year if none)."""
        year = max(self.mapped("year")) if self else fields.Date.context_today(self).year
        return self._xlsx_download_action([("year", "=", int(year))])

    @api.model
    def _evaluation_figures(self, domain):
        """Figures of the lines of ``domain`` per department and per employee, read with the
        user's rights."""
        aggregates = [
            "nonconformity_count:sum",
            "complaint_count:sum",
            "rating_count:sum",
            "satisfied_count:sum",
            "rating_value:avg",
            "training_count:sum",
            "training_hours:sum",
            "missing_training_count:sum",
        ]
        departments = {}
        for department, *values in self._read_group(domain, ["department_id"], aggregates):
            departments[department] = dict(zip(aggregates, values, strict=True))
        employees = {}
        for employee, *values in self._read_group(
            domain + [("employee_id", "!=", False)], ["employee_id"], aggregates
        ):
            employees[employee] = dict(zip(aggregates, values, strict=True))
        return departments, employees

    @api.model
    def _write_evaluation_xlsx(self, year, fileobj):
        """Write the year-end evaluation of ``year`` into ``fileobj``: departments, then staff."""
        return self._xlsx_export([("year", "=", year)], fileobj)

    @api.model
    def _xlsx_filename(self, domain):
        return self.env._("year-end-evaluation")

    @api.model
    def _xlsx_write(self, writer, domain):
        """The evaluation of the lines of ``domain``: a sheet of departments, one of staff."""
        departments, employees = self._evaluation_figures(domain)
        years = sorted(year for (year,) in self._read_group(domain, ["year"]) if year)
        title = self.env._(
            "Year-End Evaluation %(year)s", year=", ".join(str(year) for year in years)
        )
        statuses = dict(self._fields["training_status"]._description_selection(self.env))

        def satisfaction(values):
            count = values["rating_count:sum"]
            return 100.0 * values["satisfied_count:sum"] / count if count else None

        sheet = writer.add_sheet(
            self.env._("Departments"),
            title=title,
            columns=[
                Column("department", self.env._("Department"), 30),
                Column("nonconformity", self.env._("Nonconformities")),
                Column("complaint", self.env._("Attitude Complaints")),
                Column("rating", self.env._("Ratings")),
                Column("satisfaction", self.env._("Satisfaction (%)")),
                Column("training", self.env._("Trainings Passed")),
                Column("hours", self.env._("Training Hours")),
                Column("missing", self.env._("Staff Missing Training")),
            ],
        )
        for department, values in sorted(
            departments.items(), key=lambda item: item[0].display_name or ""
        ):
            sheet.write_row(
                [
                    ("char", department.display_name or self.env._("No department")),
                    ("number", values["nonconformity_count:sum"]),
                    ("number", values["complaint_count:sum"]),
                    ("number", values["rating_count:sum"]),
                    ("decimal", satisfaction(values)),
                    ("number", values["training_count:sum"]),
                    ("number", values["training_hours:sum"]),
                    ("number", values["missing_training_count:sum"]),
                ]
            )

        sheet = writer.add_sheet(
            self.env._("Staff"),
            title=title,
            columns=[
                Column("employee", self.env._("Employee"), 24),
                Column("department", self.env._("Department"), 24),
                Column("complaint", self.env._("Attitude Complaints")),
                Column("rating", self.env._("Ratings")),
                Column("satisfaction", self.env._("Satisfaction (%)")),
                Column("average", self.env._("Average Rating")),
                Column("training", self.env._("Trainings Passed")),
                Column("hours", self.env._("Training Hours")),
                Column("status", self.env._("Training Status")),
                Column("missing", self.env._("Missing Trainings"), 40),
            ],
        )
        # sudo: the department, status and missing revisions are HR data shown to the manager
        staff = self.env["hr.employee"].sudo().browse([e.id for e in employees])
        by_id = defaultdict(dict)
        for employee in staff:
            by_id[employee.id] = {
                "department": employee.department_id.display_name or "",
                "status": statuses.get(employee.aftersales_training_status) or "",
                "missing": ", ".join(employee.aftersales_missing_policy_ids.mapped("display_name")),
            }
        for employee, values in sorted(employees.items(), key=lambda item: item[0].display_name):
            info = by_id[employee.id]
            sheet.write_row(
                [
                    ("char", employee.display_name),
                    ("char", info["department"]),
                    ("number", values["complaint_count:sum"]),
                    ("number", values["rating_count:sum"]),
                    ("decimal", satisfaction(values)),
                    ("decimal", values["rating_value:avg"]),
                    ("number", values["training_count:sum"]),
                    ("number", values["training_hours:sum"]),
                    ("char", info["status"]),
                    ("char", info["missing"]),
                ]
            )
        return len(departments), len(employees)
