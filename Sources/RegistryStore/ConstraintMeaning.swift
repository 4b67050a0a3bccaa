import Postgres

/// Every constraint and unique index the migrations create, as what it means to a user.
///
/// Two kinds. A **refusal** is a rule the database keeps as its last line, usually caught there only
/// when two commands raced: the user sees the rule's own code, as if Swift had refused. A
/// **backstop** is a form or invariant that Swift checks first (the function is named beside it); the
/// database's copy should never fire, and when it does it is a bug, reported with the constraint's
/// name and the code of the Swift check (exit 70), never the server's text, which quotes values.
///
/// `ConstraintTests.everyConstraintIsMapped` reads the migrations and the migrated catalog and fails on
/// a constraint or unique index missing here: a new one must say what it means before it lands.
/// Foreign keys and primary keys are answered by SQLSTATE instead (`Handler.translate`): a missing
/// referenced record is `not-found`, and the primary keys are random UUIDs and account ids.
package enum ConstraintMeaning {
    package struct Meaning {
        package let code: String
        package let rule: String?
        package let message: String
        /// A race the database caught (a refusal, exit 1), or a Swift check that let a value through (a bug, exit 70).
        package let backstop: Bool
    }

    static func refusal(_ code: String, _ rule: String?, _ message: String) -> Meaning {
        Meaning(code: code, rule: rule, message: message, backstop: false)
    }

    /// `checkedBy` names the Swift function that checks it first.
    static func backstop(_ code: String, _ rule: String? = nil, checkedBy: String) -> Meaning {
        Meaning(
            code: code, rule: rule, message: "the database refused a value that \(checkedBy) should have refused first",
            backstop: true)
    }

    package static let table: [String: Meaning] = [
        // Races: what two commands at the same moment can both pass in Swift.
        "filing_no_overlap": refusal(
            "filing.overlap", "R-22",
            "an active filing of this physician at this institution overlaps the period (another command filed it at the same moment); a renewal starts the day after the previous contract ends (R-25)"
        ),
        "registration_one_per_region": refusal(
            "registration.exists-in-region", "R-11",
            "the physician already has a registration in this region (another application was made at the same moment); change it instead of applying again"
        ),
        "registration_one_home": refusal(
            "registration.exists-in-region", "R-11",
            "the physician's home registration was created at the same moment by another command; run the command again"
        ),
        "institution_uscc_key": refusal(
            "institution.exists", nil,
            "an institution with this unified social credit code is already recorded; use regctl institution show CODE"),
        "physician_id_number_key": refusal(
            "physician.exists", nil,
            "a physician with this resident ID number is already recorded; use regctl physician show ID"),
        "physician_qualification_no_key": refusal(
            "physician.qualification-exists", nil,
            "another physician already has this qualification certificate number; check the number"),
        "physician_certificate_no_key": refusal(
            "conflict.retry", "R-14",
            "another approval took the same certificate number at the same moment; run the command again"),
        "filing_contract_key": refusal(
            "filing.contract-exists", "R-25",
            "this institution already has a filing under this contract number; a renewal is a new contract with its own number (R-25)"
        ),
        "nurse_id_number_key": refusal(
            "nurse.exists", nil,
            "a nurse with this resident ID number is already recorded; use regctl nurse show ID"),
        "nurse_qualification_no_key": refusal(
            "nurse.qualification-exists", nil,
            "another nurse already has this qualification certificate number; check the number"),
        "nurse_filing_contract_key": refusal(
            "filing.contract-exists", nil,
            "this institution already has a nurse filing under this contract number; a renewal is a new contract with its own number"
        ),
        "nurse_filing_no_overlap": refusal(
            "filing.overlap", nil,
            "an active filing of this nurse at this institution overlaps the period (another command filed it at the same moment)"
        ),
        "studio_one_open_per_host": refusal(
            "studio.exists", nil,
            "the physician already has an open studio at this host (opened at the same moment by another command)"),
        "nurse_registration_one_live": refusal(
            "nurse.registration-exists", nil,
            "the nurse already has a pending or active registration (made at the same moment by another command)"),
        "staff_pkey": refusal("staff.exists", nil, "a staff account with this id exists; choose another id"),
        "holiday_calendar_pkey": refusal(
            "conflict.retry", nil, "another command recorded the same day at the same moment; run the command again"),
        "policy_pkey": refusal(
            "conflict.retry", nil,
            "another command set this province's policy at the same moment; run the command again"),
        "certificate_serial_pkey": refusal(
            "conflict.retry", "R-14",
            "another approval started the same certificate series at the same moment; run the command again"),
        "event_seq": refusal("conflict.retry", "R-71", "two sealers numbered the same event; run the command again"),

        // Forms: checked in Swift by the readers of Arguments and the identifier parsers.
        "institution_name_check": backstop("input.missing", checkedBy: "Arguments.name"),
        "physician_name_check": backstop("input.missing", checkedBy: "Arguments.name"),
        "nurse_name_check": backstop("input.missing", checkedBy: "Arguments.name"),
        "studio_name_check": backstop("input.missing", checkedBy: "Arguments.name"),
        "filing_contract_no_check": backstop("input.missing", checkedBy: "Arguments.string"),
        "nurse_filing_contract_no_check": backstop("input.missing", checkedBy: "Arguments.string"),
        "credit_record_document_check": backstop("input.missing", checkedBy: "Arguments.string"),
        "institution_beds_check": backstop("input.number", checkedBy: "Arguments.int(_:in:)"),
        "policy_max_active_filings_check": backstop("input.number", checkedBy: "Arguments.int(_:in:)"),
        "policy_studio_max_age_check": backstop("input.number", checkedBy: "Arguments.int(_:in:)"),
        "app_session_token_hash_check": backstop("internal.session", checkedBy: "Store.tokenHash (SHA-256, 32 bytes)"),
        "login_failure_key_check": backstop(
            "input.value", checkedBy: "Sessions.open (account ids of at most 63 characters)"),
        "app_file_purpose_check": backstop("internal.upload", checkedBy: "Uploads and Pages (upload or errors-report)"),
        "app_file_name_check": backstop("internal.upload", checkedBy: "Store.storeFile (the name cut at 255)"),
        "staff_id_check": backstop("input.value", checkedBy: "StaffAdd (StaffID)"),
        "region_code_check": backstop("input.region", checkedBy: "RegionCode.init"),
        "physician_sex_check": backstop("input.id-number", "R-01", checkedBy: "ResidentID (sex from the ID number)"),
        "nurse_sex_check": backstop("input.id-number", "R-01", checkedBy: "ResidentID (sex from the ID number)"),
        // Choices: each is a Swift enum read by Arguments.choice.
        "institution_ownership_check": backstop("input.ownership", checkedBy: "Arguments.choice (Ownership)"),
        "institution_category_check": backstop("input.category", checkedBy: "Arguments.choice (InstitutionCategory)"),
        "institution_status_check": backstop("input.status", checkedBy: "InstitutionStatus"),
        "physician_level_check": backstop("input.level", checkedBy: "Arguments.choice (PractitionerLevel)"),
        "physician_category_check": backstop("input.category", checkedBy: "Arguments.choice (PracticeCategory)"),
        "physician_status_check": backstop("input.status", checkedBy: "PersonStatus"),
        "nurse_status_check": backstop("input.status", checkedBy: "PersonStatus"),
        "registration_status_check": backstop("input.status", checkedBy: "RegistrationStatus"),
        "registration_leave_reason_check": backstop("input.reason", checkedBy: "Arguments.choice (LeaveReason)"),
        "registration_cancel_reason_check": backstop("input.reason", checkedBy: "Arguments.choice (CancelReason)"),
        "registration_scopes_check": backstop(
            "registration.scope-count", "R-12", checkedBy: "RegistrationRules (R-12)"),
        "filing_status_check": backstop("input.status", checkedBy: "FilingStatus"),
        "filing_home_ownership_check": backstop("input.ownership", checkedBy: "Ownership"),
        "nurse_filing_status_check": backstop("input.status", checkedBy: "FilingStatus"),
        "nurse_registration_status_check": backstop("input.status", checkedBy: "NurseRegistrationStatus"),
        "studio_status_check": backstop("input.status", checkedBy: "StudioStatus"),
        "credit_record_subject_kind_check": backstop("input.subject", checkedBy: "CreditSubject"),
        "credit_record_kind_check": backstop("input.kind", checkedBy: "Arguments.choice (CreditKind)"),
        "holiday_calendar_kind_check": backstop("input.calendar-kind", checkedBy: "Arguments.choice (DayKind)"),
        "staff_role_check": backstop("input.role", checkedBy: "Arguments.choice (StaffRole)"),
        "region_level_check": backstop("input.value", checkedBy: "the GB/T 2260 seed"),
        "event_outcome_check": backstop("internal", "R-71", checkedBy: "EventLog.append"),
        "event_arguments_bounded": backstop("internal", "R-71", checkedBy: "Arguments.bounded"),

        // Invariants between columns: each command sets them together.
        "institution_check": backstop(
            "input.for-profit", checkedBy: "InstitutionAdd (a public institution is not for profit)"),
        "institution_check1": backstop("internal", "R-10", checkedBy: "the a_derive trigger (province from region)"),
        "registration_check": backstop("internal", "R-10", checkedBy: "the a_derive trigger (province from region)"),
        "registration_check1": backstop(
            "internal", checkedBy: "RegistrationLeave / RegistrationReturn (status with leave_since)"),
        "registration_check2": backstop("internal", checkedBy: "RegistrationCancel (status with cancelled_on)"),
        "filing_check": backstop(
            "input.period", "R-21", checkedBy: "FilingRules (a period ends on or after its start)"),
        "filing_check1": backstop("internal", checkedBy: "FilingEnd (status with ended_on)"),
        "filing_province_is_hosts": backstop(
            "filing.outside-region", "R-20", checkedBy: "the a_derive trigger (province from the host)"),
        "nurse_filing_check": backstop("input.period", checkedBy: "NurseRules (a period ends on or after its start)"),
        "nurse_filing_check1": backstop("internal", checkedBy: "NurseFilingEnd (status with ended_on)"),
        "nurse_registration_check": backstop(
            "internal", checkedBy: "NurseApprove (an active registration has its expiry)"),
        "pilot_check": backstop("input.period", checkedBy: "PilotAdd (a pilot ends on or after its start)"),
        "credit_record_check": backstop("input.period", checkedBy: "CreditAdd (until on or after the decision)"),
        "studio_check": backstop("internal", checkedBy: "StudioClose (status with closed_on)"),
        "staff_check": backstop("input.region", "R-70", checkedBy: "StaffAdd (registrars and analysts have a region)"),
        "staff_check1": backstop("input.institution", "R-70", checkedBy: "StaffAdd (HR has an institution)"),
        "region_check": backstop("input.value", checkedBy: "the GB/T 2260 seed"),
        "event_check": backstop("internal", "R-71", checkedBy: "EventLog.append"),
        "certificate_serial_last_check": backstop(
            "internal", "R-14", checkedBy: "CertificateNumber (six digits a year)"),
        // Keys other keys point at (a composite foreign key needs a unique target): the ids are already unique.
        "institution_id_region_ownership_key": backstop("internal", checkedBy: "institution_pkey"),
        "registration_id_category_key": backstop("internal", checkedBy: "registration_pkey")
    ]

    /// The error a user sees for a violated constraint; nil for one that is not in the table.
    package static func of(_ constraint: String) -> RegctlError? {
        guard let m = table[constraint] else { return nil }
        if m.backstop {
            return RegctlError(
                m.code, "\(m.message) (constraint \(constraint)); this is a bug, please report it with this message",
                rule: m.rule, status: .internalError)
        }
        return RegctlError(m.code, m.message, rule: m.rule)
    }
}
