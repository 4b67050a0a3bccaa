/// What each code means and what to do, in English: the reference `regctl codes --lang en` and
/// docs/errors.md give (a refusal itself says more: the command's own message, with its values).
/// `CatalogueTests` holds its codes to the Chinese table's.
enum EnglishMessages {
    static let table: [String: String] = [
        "input.date": "not a date: write YYYY-MM-DD (2026-03-01), or 2026/3/1",
        "input.future-date": "a decision or application dated after today: give today or an earlier day",
        "input.period": "the period is wrong: the start may not be after the end",
        "input.id-number":
            "not a valid resident ID number: 18 characters, the last a digit or X, with a correct check digit; if a spreadsheet showed it as 4.40106E+17, format the column as text and type it again",
        "input.uscc":
            "not a valid unified social credit code: 18 characters; check it against the licence (shown as 9.13301E+17: format the column as text)",
        "input.region": "not a region: 6 digits present in the region table (regctl region list)",
        "input.number": "not a whole number in the allowed range",
        "input.encoding":
            "text that is not valid UTF-8 (or GBK where a file may be GBK): save it as UTF-8 and try again",
        "input.scope": "not a practice scope of the category: choose from the scopes listed, several separated by ;",
        "input.category":
            "not a category: clinical, tcm, dental, public-health (临床, 中医, 口腔, 公共卫生), or an institution category",
        "input.level": "not a level: physician or assistant (执业医师, 执业助理医师)",
        "input.ownership": "not an ownership: public or social (公立, 社会办)",
        "input.for-profit": "not a yes or no: true/false (是/否)",
        "input.beds": "approved beds must be a whole number of at least 0",
        "input.action": "not an action: A (新增) adds or updates a contract, R (解除, 终止) ends it",
        "input.change": "say what to change",
        "input.missing": "a required value is missing: give it",
        "input.name": "not a name: one line, no control characters, at most 100 characters",
        "input.value": "a value of the wrong form: follow the message",
        "input.id":
            "not an id: give the id (a UUID) as a list or the creating command printed it, or its first 8 characters or more (more when several ids begin so)",
        "input.file":
            "a file that cannot be read or written: check the path (a file, not a directory, in a folder that exists) and its permissions",
        "input.password": "the password does not qualify: at least 12 characters",
        "input.section": "the report has no such section: choose one of those the message lists",
        "input.resume": "the record cannot be resumed in its state",
        "input.calendar-kind": "not a kind of day: holiday (放假) or workday (上班)",
        "input.certificate": "not a certificate number: check it against the practising or qualification certificate",
        "input.status": "not a status this command takes: choose one of those the message lists",
        "input.kind": "not a kind: choose one of those the message lists",
        "input.role": "not a role: admin, registrar, hr or analyst",
        "input.reason": "not a reason: choose one of those the message lists",
        "input.subject": "not a subject: a physician, a nurse or an institution",
        "input.institution": "not an institution: give its id or unified social credit code",
        "input.outcome": "not an outcome: accepted, refused or failed",
        "input.lang": "REGCTL_LANG names no language: zh or en, or unset it to follow the locale",
        "input.choice": "a value outside its choices: choose one of those the message lists",
        "not-found":
            "no such record, or none in your scope: check the id, resident ID number or credit code",
        "permission.denied": "your account may not do this, or the record is outside its scope: ask an admin",
        "auth.failed": "the login was refused: check the account and password",
        "staff.disabled": "the account is disabled: ask an admin",
        "staff.exists": "an account of that name exists: choose another",
        "physician.exists": "a physician with this resident ID number is recorded already",
        "physician.qualification-exists": "another physician holds this qualification certificate number",
        "physician.conflict":
            "the file's level or category differs from the record: a new qualification is not an import",
        "physician.deceased": "the physician is recorded as deceased",
        "physician.retired":
            "the physician is retired: a retired physician practises at grassroots institutions or in a studio",
        "physician.blacklisted": "the physician is blacklisted (R-60): no new registration or filing",
        "physician.not-found": "no physician with that name and certificate number",
        "nurse.exists": "a nurse with this resident ID number is recorded already",
        "nurse.qualification-exists": "another nurse holds this qualification certificate number",
        "nurse.deceased": "the nurse is recorded as deceased",
        "nurse.expired": "the nurse's registration has expired: apply for a new one",
        "nurse.not-in-pilot": "the region has no nurse regional registration pilot in force",
        "nurse.registration-exists": "the nurse is registered in this region already",
        "nurse.renewal-too-late":
            "a renewal is applied for at least 30 days before expiry (R-51): apply for a new registration",
        "nurse.blacklisted": "the nurse is blacklisted (R-60): no new registration or filing",
        "institution.exists": "an institution with this unified social credit code is recorded already",
        "institution.inactive": "the institution is suspended or closed",
        "institution.blacklisted": "the institution is blacklisted (R-60)",
        "institution.unchanged": "nothing to change",
        "institution.uscc-check":
            "the code's check character fails: check the code; to record it deliberately, give --accept-check-failure REASON",
        "registration.exists-in-region":
            "the physician is registered in this region already: one registration per region, other institutions by filing",
        "registration.assistant-single": "an assistant physician practises at one institution only",
        "registration.not-active": "the registration is not active: apply, or return from leave, first",
        "registration.not-pending": "the application is decided already",
        "registration.other-region":
            "the registration's region is not the institution's: register in the institution's region",
        "registration.recently-cancelled": "the registration was cancelled too recently to apply again",
        "registration.scope-count":
            "several scopes only when the primary institution is grassroots: keep one scope",
        "registration.scopes-differ": "the scope differs from the registered scopes",
        "filing.overlap":
            "the physician has a filing at this institution overlapping the period: change the dates, or end the other filing",
        "filing.cap": "the physician has the most active filings the province allows: end one first",
        "filing.outside-region": "the institution is outside the registration's region: register there first",
        "filing.primary-institution": "the primary institution needs no filing: name another institution",
        "filing.before-registration": "the contract starts before the registration takes effect: change the start",
        "filing.not-active": "the filing has ended",
        "filing.contract-exists":
            "the institution has a contract of that number: use a new number, or action A to update that contract",
        "studio.host-ineligible": "a studio's host is a grassroots or elderly-care-medical institution",
        "studio.exists": "the physician has an open studio at this institution",
        "studio.age": "the physician is older than the province allows for a studio",
        "studio.closed": "the studio is closed",
        "studio.outside-region": "the host is outside the physician's registered region",
        "pilot.ended": "the pilot has ended",
        "credit.lifted": "the credit record is lifted already",
        "import.header":
            "the file's header is wrong: the message lists every problem and the columns expected (unknown columns are ignored)",
        "import.columns": "the row has more fields than the header: look for an unquoted comma",
        "import.csv": "the CSV is malformed: look for an unpaired quote",
        "import.encoding": "the file's encoding cannot be told or changes: save it as UTF-8 or GBK",
        "import.sheet": "the workbook has no such sheet: name one of its sheets with --sheet",
        "import.file": "the import file cannot be read: check the path, permissions and format",
        "import.duplicate-row": "the row repeats an earlier one: keep one row per record",
        "exec.malformed": "an exec line is not one JSON object of a command",
        "conflict.retry": "another command changed the same record at the same moment: try again",
        "db.busy": "every database connection of the server is in use: try again in a moment",
        "db.schema": "the database's schema is not this version's: the operator runs regctl db migrate",
        "server.unavailable":
            "the regctl server cannot be reached: check its address (REGCTL_SERVER or --server) and that it runs",
        "http.unauthenticated":
            "not logged in, or the session ended: log in (regctl login --server URL --id ACCOUNT, or on the web page)",
        "http.csrf": "the form is stale or came from elsewhere: reload the page and send it again",
        "http.login-throttled": "too many failed logins: wait, or ask an admin for a new password",
        "http.rate-limited": "too many look-ups: wait a little and try again",
        "http.not-found": "no such address or record: check it",
        "http.request": "the request could not be read: check it and send it again",
        "http.timeout": "the request was not sent in time: send it again",
        "http.too-large": "over the limit: split the file into smaller ones",
        "http.upload": "the server reads no file of its own machine: upload the file (regctl import does it)",
        "input.format": "the format is json, csv, xlsx or html",
        "institution.not-found": "no such institution: check the name or the credit code",
        "nurse.not-found": "no such registered nurse: check the name (exactly) or widen the region",
        "internal.upload": "the server could not keep the upload: tell the operator (the disk may be full)",
        "internal.session": "an internal error (a session): tell the operator",
        "db.unavailable": "the database cannot be reached: regctl db status says why",
        "db.external": "that works on the embedded cluster only",
        "db.migration": "the schema needs migrating: regctl db migrate",
        "database.read-only":
            "the server reached is a standby (read-only): send writes to the primary (several hosts with target_session_attrs=read-write find it), or promote the standby if the primary is gone (regctl db promote)",
        "db.standby":
            "the standby's home or name is not right: name an empty directory to make one, a standby's home or name to drop one, and run it from the primary's home",
        "db.not-standby": "that database is a primary already: promote the standby",
        "event.unrecorded": "the command could not be recorded in the event log and was undone: tell an admin",
        "events.chain-broken": "the event chain is broken: tell an admin",
        "internal.database": "an internal error: report it to the administrator with the message",
        "internal.migrations": "an internal error in the schema: report it to the administrator",
        "seed.not-empty": "the database holds records: synthetic data goes into an empty one"
    ]
}
