package dev.claudebottle.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.claudebottle.contract.ApprovalQueueFiles;
import dev.claudebottle.spi.testing.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The dashboard's page in a real browser (Debian's headless Chromium through its chromedriver):
 * opened from the printed URL, showing a guest's hostile text as text, answering a question with
 * its Approve button through the same board the command line reads, showing a new question without
 * a reload, and out of reach of another site's page.
 */
class DashboardBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>\u202etxt.exe";
    @TempDir
    Path bottles;
    @TempDir
    Path records;
    FakeHome home;
    DashboardServer server;
    URI url;
    ChromeDriver browser;
    /** What the bottle spent: a runaway agent's keeps changing. */
    final java.util.concurrent.atomic.AtomicInteger spentTokens = new java.util.concurrent.atomic.AtomicInteger(1234);




    @BeforeEach
    void start() throws Exception {
        home = new FakeHome(bottles, records, () -> Map.of("slug", "web-1a2b", "agent", "coder", "backend", "docker",
                "state", "running", "started_at", "2026-12-07T10:00:00Z", "tainted", false,
                "spent", Map.of("tokens", spentTokens.get(), "usd", "0.05"),
                "budget", Map.of("tokens", 2000, "usd", "5.00"),
                "verified", Map.of("at", "2026-12-07T10:00:05Z", "result", "isolation verified: 4 probes")));
        home.question("a1b2c3d4", HOSTILE, HOSTILE);
        server = new DashboardServer(home, InetAddress.getLoopbackAddress());
        url = server.start();
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,900");
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build(), options);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        server.close();
    }

    private WebElement await(By what) throws Exception {
        return Await.value(Duration.ofSeconds(20), () -> "the page shows " + what + ":\n" + browser.getPageSource(),
                () -> browser.findElements(what).stream().findFirst());
    }

    private void screenshot(String name) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void thePageAnswersAQuestionThroughTheBoardShowsGuestTextInertAndPicksUpANewQuestion() throws Exception {
        browser.get(url.toString());

        WebElement row = await(By.cssSelector("#bottles tr[data-slug='web-1a2b']"));
        assertThat(row.getText()).contains("coder").contains("docker")
                .contains("1,234 of 2,000 tokens, $0.05 of $5.00 (61%)")
                .contains("fence: isolation verified: 4 probes (2026-12-07T10:00:05Z)");
        assertThat(browser.getCurrentUrl()).as("the token left the address bar").doesNotContain("token");
        WebElement question = await(By.cssSelector("li.question[data-id='a1b2c3d4']"));
        assertThat(question.getText()).contains("<img src=x onerror=alert(1)><script>alert(2)</script>")
                .contains("\\u202etxt.exe").doesNotContain("\u202e");
        assertThat(browser.findElements(By.cssSelector("main img, main script"))).as("no markup of the guest's").isEmpty();
        assertThat(alertShown()).as("no script of the guest's ran").isFalse();
        screenshot("dashboard-questions");

        question.findElement(By.xpath(".//button[normalize-space()='Approve']")).click();

        Await.until(Duration.ofSeconds(20), "the question approved on the board", () ->
                home.state("a1b2c3d4") == ApprovalQueueFiles.State.APPROVED);
        WebElement history = await(By.cssSelector("li.question.decided[data-id='a1b2c3d4']"));
        assertThat(history.getText()).as("who answered and when")
                .containsPattern("approved by a person at 20\\d\\d-.*: approved on the dashboard$");

        home.question("e5f6a7b8", "run the migration", HOSTILE);
        WebElement later = await(By.cssSelector("li.question[data-id='e5f6a7b8']"));
        assertThat(later.getText()).contains("run the migration");
        later.findElement(By.xpath(".//button[normalize-space()='Deny']")).click();
        Await.until(Duration.ofSeconds(20), "the question denied on the board", () ->
                home.state("e5f6a7b8") == ApprovalQueueFiles.State.DENIED);
        screenshot("dashboard-answered");
    }

    @Test
    void anotherSitesPageCannotApproveOrReadAQuestion() throws Exception {
        browser.get(url.toString());
        await(By.cssSelector("li.question[data-id='a1b2c3d4']"));
        // the person, signed in to the dashboard, visits another site on this machine
        HttpServer evil = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        String base = "http://127.0.0.1:" + url.getPort();
        byte[] page = ("<!doctype html><title>evil</title><p id=out>working</p><script>"
                + "fetch('" + base + "/api/questions/a1b2c3d4/approve', {method: 'POST', credentials: 'include', "
                + "mode: 'no-cors', headers: {'Content-Type': 'text/plain'}, body: '{}'}).catch(() => {});"
                + "fetch('" + base + "/api/questions', {credentials: 'include'}).then(r => r.text())"
                + ".then(t => document.getElementById('out').textContent = 'READ ' + t)"
                + ".catch(e => document.getElementById('out').textContent = 'refused');"
                + "</script>").getBytes(StandardCharsets.UTF_8);
        evil.createContext("/", ex -> {
            ex.getResponseHeaders().set("content-type", "text/html");
            ex.sendResponseHeaders(200, page.length);
            ex.getResponseBody().write(page);
            ex.close();
        });
        evil.start();
        try {
            // another site, and another service on the same address (same site: the cookie goes along)
            for (String host : List.of("localhost", "127.0.0.1")) {
                browser.get("http://" + host + ":" + evil.getAddress().getPort() + "/");
                WebElement out = await(By.xpath("//p[@id='out' and normalize-space()!='working']"));
                assertThat(out.getText()).as(host).isEqualTo("refused");
            }
        } finally {
            evil.stop(0);
        }
        assertThat(home.state("a1b2c3d4")).as("still waiting for the person").isEqualTo(ApprovalQueueFiles.State.PENDING);
    }

    private boolean alertShown() {
        try {
            browser.switchTo().alert();
            return true;
        } catch (NoAlertPresentException none) {
            return false;
        }
    }

    @Test
    void aBottlesTrafficAppearsAsItPassesAndAStopAsksOnceMore() throws Exception {
        browser.get(url.toString());
        WebElement row = await(By.cssSelector("#bottles tr[data-slug='web-1a2b']"));
        row.findElement(By.xpath(".//button[@aria-label='Traffic of web-1a2b']")).click();
        await(By.xpath("//span[@id='traffic-of' and contains(., 'web-1a2b')]"));

        Path file = Files.createDirectories(records.resolve("web-1a2b")).resolve("audit.jsonl");
        for (String[] line : List.of(new String[] {"registry.npmjs.org", "allow"},
                new String[] {"exfil<b>.test", "deny"})) {
            Files.writeString(file, JSON.writeValueAsString(Map.of("time", Instant.now().toString(), "kind",
                    "request", "method", "GET", "host", line[0], "port", 443, "path", "/a", "decision", line[1],
                    "reason", line[1].equals("deny") ? "no rule covers it" : "allow[0]", "status", 200)) + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        }
        WebElement refused = await(By.cssSelector("#traffic tr.refused"));
        assertThat(refused.getText()).contains("exfil<b>.test:443").contains("no rule covers it");
        assertThat(browser.findElements(By.cssSelector("#traffic b"))).isEmpty();
        await(By.xpath("//table[@id='traffic']//td[contains(., 'registry.npmjs.org')]"));
        screenshot("dashboard-traffic");

        WebElement stop = row.findElement(By.xpath(".//button[@aria-label='Stop web-1a2b']"));
        stop.click();
        assertThat(stop.getText()).isEqualTo("Confirm stop");
        assertThat(home.stopped).as("not before the confirmation").isEmpty();
        // the agent spends meanwhile: the row changes, the armed button stays
        spentTokens.set(1500);
        await(By.xpath("//tr[@data-slug='web-1a2b' and contains(., '1,500 of 2,000 tokens')]"));
        assertThat(stop.getText()).isEqualTo("Confirm stop");
        stop.click();
        Await.until(Duration.ofSeconds(20), "the bottle stopped", () -> home.stopped.contains("web-1a2b"));
    }

    @Test
    void aStoppedBottlesRecordIsListedAndItsVerificationShownInert() throws Exception {
        browser.get(url.toString());
        WebElement row = await(By.cssSelector("#records tr[data-slug='old-9f8e']"));
        assertThat(row.getText()).contains("42").contains("TAINTED");
        row.findElement(By.xpath(".//button[@aria-label='Verify the record of old-9f8e']")).click();
        WebElement broken = await(By.xpath("//table[@id='records']//td[contains(., 'BROKEN')]"));
        assertThat(broken.getText()).contains("BROKEN at line 7").contains("\\u202e").doesNotContain("\u202e");
        screenshot("dashboard-records");
    }
}
