"""The case facts a talking point may name as `{fact}`, and what each one means."""

from __future__ import annotations

FACTS: dict[str, str] = {
    "patient": "age and sex",
    "diagnosis": "primary diagnosis with code",
    "diagnoses": "all diagnoses with codes",
    "service": "requested service and level of care",
    "level_of_care": "requested level of care",
    "denial_reason": "denial reason in the payer's words",
    "criteria_set": "criteria set named in the denial",
    "policy": "payer policy cited in the denial",
    "treatments": "prior treatments with dates, doses and outcomes",
    "contraindications": "contraindications and reasons treatments were stopped",
    "measures": "severity measures, baseline to latest",
    "guidelines": "guidelines by name, organisation and year",
    "alternatives": "alternatives and why each is not adequate",
    "evidence": "published evidence for the service",
    "criteria": "policy criteria and how the patient meets each",
    "risk": "current risk",
    "specialty_needed": "the reviewer specialty the case calls for",
    "clinician": "treating clinician",
    "treatment_names": "prior treatments, by name only",
    "headline_measure": "the main severity measure in a few words",
    "guideline_names": "guidelines by organisation and year only",
}

BULLET_FACTS: frozenset[str] = frozenset(
    {
        "treatments",
        "contraindications",
        "measures",
        "guidelines",
        "alternatives",
        "evidence",
        "criteria",
        "risk",
        "specialty_needed",
        "level_of_care",
    }
)
"""The facts a card can list as one-line bullets (cases/facts.py `fact_bullets`)."""
