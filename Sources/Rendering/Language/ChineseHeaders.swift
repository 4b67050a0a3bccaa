/// Column and figure names in Chinese, by their key (the key is the English name, the JSON key and the CSV
/// header in English). Terms follow the policy texts: 区域注册, 多点执业, 备案, 主要执业机构, 工作室, 社会办医.
enum ChineseHeaders {
    static let table: [String: String] = [
        // Records and their fields
        "id": "编号", "name": "名称", "id_number": "身份证号", "uscc": "统一社会信用代码", "license_no": "执业许可证登记号",
        "region": "区划代码", "region_name": "行政区划", "county": "县（市、区）", "province": "省份", "parent": "上级区划",
        "code": "代码", "level": "级别", "category": "类别", "ownership": "举办主体", "for_profit": "营利性",
        "beds": "核定床位", "status": "状态", "status_on": "状态日期", "sex": "性别", "birth_date": "出生日期",
        "qualification_no": "资格证书编码", "certificate_no": "执业证书编码",
        "certificate_or_qualification": "执业证书或资格证书编码", "institution": "医疗机构",
        "institution_name": "机构名称", "physician": "医师", "physician_name": "医师姓名",
        "registration_status": "注册状态", "filed_at": "备案执业机构", "server": "服务器", "account": "账号",
        "physician_status": "医师状态", "nurse": "护士", "registration": "注册", "filing": "备案",
        "scope": "执业范围", "scopes": "执业范围", "practice_region": "注册区域", "home": "主要执业机构",
        "host": "备案机构", "applied_on": "申请日期", "decided_on": "决定日期", "decided_by": "决定人",
        "decision_due": "办理期限", "due_on": "办理期限", "effective_on": "生效日期", "opened_on": "开办日期",
        "closed_on": "关闭日期", "ended_on": "终止日期", "ends_on": "终止日期", "end_reason": "终止原因",
        "cancel_reason": "注销原因", "cancelled_on": "注销日期", "leave_reason": "离岗原因", "leave_since": "离岗日期",
        "reason": "原因", "rejection_reason": "不予注册理由", "contract_no": "合同编号", "from": "开始日期",
        "to": "结束日期", "valid_to": "有效期至", "expires_on": "有效期至", "renew_by": "最迟延续申请日期",
        "can_still_renew": "可否延续", "days_left": "剩余天数", "on": "日期", "since": "起始日期",
        "until": "截止日期", "lapses_on": "失效日期", "lifted_on": "解除日期", "penalties_from": "处罚起算日期",
        "role": "角色", "login": "数据库登录名", "password": "密码", "active": "启用", "studio": "工作室",
        "pilot": "试点", "open": "进行中", "document": "文书编号", "kind": "类型", "subject": "对象",
        "subject_kind": "对象类型", "standing": "执业情况", "blacklisted": "黑名单", "in_force": "有效",
        "head": "负责人", "note": "备注", "value": "值", "key": "键", "order": "顺序", "draw": "抽取",
        "change": "变化", "count": "数量", "total": "合计", "own": "本机构", "its_practitioners": "本机构人员",
        // Events
        "at": "时间", "actor": "操作人", "command": "命令", "outcome": "结果", "error_code": "错误代码",
        "arguments": "参数", "subjects": "涉及对象", "seq": "序号", "hash": "哈希", "anchors": "锚点",
        "checked": "已校验", "unsealed": "未封存", "ok": "正常", "found": "发现",
        // db standby status
        "standby": "备库", "state": "状态", "sync": "同步方式", "lag_bytes": "延迟（字节）", "lag_seconds": "延迟（秒）",
        "replayed_at": "已重放至", "stopped": "已停止", "slot_dropped": "已删除复制槽", "synchronous_left": "余下的同步备库",
        // Reports: multi-site practice, beds, studios
        "as_of": "统计日期", "data_as_of": "数据截至（备库）", "scale": "口径", "breakdown": "分组", "live": "实时",
        "active_registrations": "有效注册", "active_filings": "有效备案", "filings": "备案数",
        "physicians_filing": "有备案的医师", "physicians": "医师数", "at_public": "备案于公立机构",
        "at_social": "备案于社会办机构", "public_to_public": "公立→公立", "public_to_social": "公立→社会办",
        "social_to_social": "社会办→社会办", "social_to_public": "社会办→公立",
        "grassroots_hosting_pct": "设有工作室的基层机构占比（%）", "public": "公开", "contracts": "合同",
        "social_beds": "社会办医床位", "beds_total": "床位合计", "social_share_pct": "社会办占比（%）",
        "target_pct": "目标（%）", "meets_25pct": "达到 25%", "social_institutions": "社会办医疗机构",
        "institutions": "医疗机构数", "grassroots": "基层医疗机构", "grassroots_institutions": "基层医疗机构数",
        "grassroots_hosting": "设有工作室的基层机构", "hosting_share_pct": "设有工作室占比（%）",
        "open_studios": "开办中的工作室", "studios_closed": "已关闭的工作室", "at_elderly_care": "设在医养结合机构",
        // Reports: processing, nurse pilot, expiring, credit
        "applications": "申请数", "approved": "准予注册", "pending": "待审批", "decided": "已办结",
        "overdue": "已超期", "overdue_now": "当前超期", "median_working_days": "办理用时中位数（工作日）",
        "p90_working_days": "办理用时第 90 百分位（工作日）", "within_20_days_pct": "20 个工作日内办结占比（%）",
        "working_days_waiting": "已等待工作日", "workdays": "工作日", "holidays": "节假日",
        "regional": "区域注册", "regional_pct": "区域注册占比（%）", "regional_registrations": "区域注册护士",
        "nurse_registrations": "护士注册", "nurse_filings": "护士备案", "nurses_at_2plus_sites": "两个及以上机构执业的护士",
        "primary_registrations": "主要执业机构注册", "pilots_in_force": "实施中的试点",
        "registrations": "注册数", "registrations_cancelled": "已注销注册", "live_registrations": "有效注册",
        "filings_ended": "已终止备案", "returned_from_leave": "离岗后恢复", "resumed_registration": "恢复的注册",
        "leave_clocks": "离岗计时", "needing_follow_up": "需跟进", "credit": "信用记录", "blacklist_in_force": "黑名单（有效）",
        "within": "天数", "today": "今天", "days": "天数", "computed": "计算时间", "stable": "已稳定",
        // Imports and maintenance
        "file": "文件", "sheet": "工作表", "physicians_primary": "主要执业的医师", "physicians_filed": "备案执业的医师",
        "physicians_studio": "开办工作室的医师", "nurses_primary": "主要执业的护士", "nurses_filed": "备案执业的护士",
        "starting": "30 天内开始的合同", "county_name": "所在地", "computed_by": "计算方式",
        "practice_region_name": "注册区域名称", "encoding": "编码", "read": "读取行数", "added": "新增", "updated": "更新",
        "ended": "终止",
        "unchanged": "未变", "rejected": "拒绝", "seconds": "用时（秒）", "result": "结果", "line": "行号",
        "column": "列", "message": "说明", "rows": "行数", "table": "数据表", "seed": "示例数据", "query": "查询",
        "ignored_columns": "已忽略的列",
        // Policies
        "max_active_filings": "备案机构上限", "studio_max_age": "工作室负责人年龄上限",
        // Record views
        "field": "项目", "item": "项目", "figure": "指标", "weekday": "星期"
    ]

    /// Headers that differ by what the rows are (`ResultTable.subject`): a person's name is 姓名.
    static let bySubject: [String: [String: String]] = [
        "person": ["name": "姓名"]
    ]
}
