"""A real browser through regctl's pages (chromium headless, chromium-driver, python3-selenium), as people
use them: the public fills the lookup form and opens a certificate's page; HR logs in, uploads a contracts
file, reads the dry run row by row, confirms, and opens the roster. Checks what each page shows and saves a
screenshot of it.

    walk.py URL OUTDIR HR_ACCOUNT PASSWORD CERTIFICATE ID_NUMBER
"""
import os
import re
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

url, out, account, password, certificate, id_number = sys.argv[1:7]
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


options = Options()
for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN", "--window-size=1280,1000"]:
    options.add_argument(flag)
options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
driver.set_page_load_timeout(60)
birth = id_number[6:14]
personal = [id_number, birth, f"{birth[:4]}-{birth[4:6]}-{birth[6:]}", id_number[:6] + "********"]


def click(selector, by=By.CSS_SELECTOR):
    """Clicks and waits for the next page (the old one gone), as a person waits for it to load."""
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(by, selector).click()
    WebDriverWait(driver, 60).until(expected_conditions.staleness_of(old))


def text():
    return driver.find_element(By.TAG_NAME, "body").text


def shot(name):
    driver.save_screenshot(os.path.join(out, name + ".png"))


def hides_identity(text, where, masked_allowed=False):
    """No ID number or birth date; on a staff page the masked number (R-72's form for HR) may be shown."""
    forms = personal[:3] if masked_allowed else personal
    check(not any(p in text for p in forms), f"{where}: no ID number or birth date")


try:
    # The public: the root leads to the lookup; the form is filled and sent.
    driver.get(url + "/")
    check(driver.current_url.startswith(url + "/lookup"), "the site root leads to /lookup")
    check("信息查询" in driver.title, f"the lookup page is Chinese: {driver.title}")
    Select(driver.find_element(By.NAME, "kind")).select_by_value("physician")
    driver.find_element(By.NAME, "name").send_keys("张伟")
    driver.find_element(By.NAME, "region").send_keys("330000")
    click("form.lookup button")
    body = text()
    check("浙江省人民医院" in body and certificate in body, "the lookup shows where 张伟 is registered, and the certificate")
    check("注册医师" in body and "执业机构" in body, "the lookup's sections are headed in Chinese")
    hides_identity(driver.page_source, "the lookup")
    shot("lookup")
    # Institutions, by the start of the name.
    driver.get(url + "/lookup")
    Select(driver.find_element(By.NAME, "kind")).select_by_value("institution")
    driver.find_element(By.NAME, "name").send_keys("杭州")
    click("form.lookup button")
    check("杭州和睦门诊部" in text(), "institutions by the start of the name")
    shot("lookup-institution")
    # The certificate's page (what a printed certificate's QR code opens).
    driver.get(url + "/verify/" + certificate)
    body = text()
    check("该执业证书已登记" in body and "张伟" in body, "the certificate's page confirms it")
    hides_identity(driver.page_source, "the certificate's page")
    shot("verify")
    driver.get(url + "/verify/110330000999999")
    check("没有" in text(), "an unknown certificate is said to be unknown")
    # English when asked.
    driver.get(url + "/lookup?lang=en")
    check("lookup" in driver.title.lower(), "English on ?lang=en")

    # HR: log in, upload, dry run, confirm, roster.
    driver.get(url + "/hr")
    check("/login" in driver.current_url, "the HR pages lead to the login")
    driver.find_element(By.NAME, "id").send_keys(account)
    driver.find_element(By.NAME, "password").send_keys("wrong-password-0")
    click("form.login button")
    check("登录失败" in text(), "a wrong password is told, in Chinese")
    driver.find_element(By.NAME, "id").send_keys(account)
    driver.find_element(By.NAME, "password").send_keys(password)
    click("form.login button")
    check(driver.current_url.split("?")[0].endswith("/hr"), "logged in, on the HR page")
    cookie = driver.get_cookie("regctl_session") or {}
    check(cookie.get("httpOnly") is True and cookie.get("sameSite") == "Strict", f"the session cookie: {cookie}")
    shot("hr")
    Select(driver.find_element(By.NAME, "kind")).select_by_value("contracts")
    driver.find_element(By.NAME, "file").send_keys(os.path.join(out, "contracts.csv"))
    click("form.upload button")
    body = text()
    check("试运行" in body, "the dry run's page")
    check("被拒绝的行" in body and "110101199001011234" in body, "the rejected row, row by row")
    check(re.search(r"确认提交（1 行）", body) is not None, "one row to commit, on the confirm button")
    shot("dry-run")
    click("form.confirm button")
    body = text()
    check("导入结果" in body and "已提交" in body, f"committed: {body[:300]}")
    shot("committed")
    click("返回", By.LINK_TEXT)
    click("名册", By.PARTIAL_LINK_TEXT)
    body = text()
    check("张伟" in body, "the roster shows the physician filed at the clinic")
    hides_identity(driver.page_source, "the roster (HR: the masked number only)", masked_allowed=True)
    shot("roster")
finally:
    driver.quit()

if failures:
    print(f"{len(failures)} checks failed", file=sys.stderr)
    sys.exit(1)
print("every page as expected; screenshots in " + out)
