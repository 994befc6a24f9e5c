package dev.claudebottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.claudebottle.spi.testing.Await;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * {@code bottle dashboard} in a real browser (headless Chromium) against a real bottle that asks
 * about hosts nobody named: the bottle is listed, a guest request to such a host waits and shows as
 * a question naming the host, Approve lets that very request through and it appears in the traffic
 * without a reload, Deny fails the next, and Stop removes the bottle.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardIT {
    private static final String EGRESS = "claude-bottle-dash-it-egress";
    private static final String REGISTRY = "claude-bottle-dash-it-registry";
    private static final ObjectMapper JSON = new ObjectMapper();
    Path work;
    Path home;
    Path screenshots;

    @BeforeAll
    void registry(@TempDir Path temp) throws Exception {
        work = Files.createDirectories(temp.resolve("work"));
        home = Files.createDirectories(temp.resolve("home"));
        screenshots = Files.createDirectories(Path.of("target", "screenshots"));
        Files.writeString(work.resolve("bottle.yaml"), """
                version: 1
                bottles:
                  asking:
                    egress:
                      unknown: ask
                      ask_timeout: 3m
                agents:
                  asker:
                    bottle: asking
                    command: [bash]
                """);
        String agentImage = cli().agentImage();
        Docker.run("rm", "-f", REGISTRY);
        // public addresses to the gateway: the benchmarking range, never routed outside a lab
        Docker.ensureNetwork(EGRESS, "198.18.9.0/24");
        Path script = Path.of(getClass().getResource("/npm-registry.js").toURI());
        Docker.run("run", "-d", "--name", REGISTRY, "--label", "claude-bottle-it=1", "--network", EGRESS,
                "--network-alias", "npm.test", "--network-alias", "npm-refused.test",
                "-v", script + ":/srv/npm-registry.js:ro", agentImage, "node", "/srv/npm-registry.js");
        Await.until(Duration.ofSeconds(60), () -> "the registry to be ready: " + Docker.run("logs", REGISTRY),
                () -> Docker.run("logs", REGISTRY).contains("registry ready"));
    }

    @AfterAll
    void cleanUp() throws Exception {
        Docker.run("rm", "-f", REGISTRY);
        Docker.run("network", "rm", EGRESS);
    }

    private CliHarness cli() {
        return new CliHarness(home, work).env("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS);
    }

    private CompletableFuture<CliHarness.Result> fetch(String slug, String host) {
        return CompletableFuture.supplyAsync(() -> cli().run("exec", slug, "--", "curl", "-s", "-o", "/dev/null",
                "-w", "status=%{http_code}", "http://" + host + "/left-pad"));
    }

    private void screenshot(ChromeDriver browser, String name) throws Exception {
        Files.write(screenshots.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private static WebElement await(ChromeDriver browser, By what, int seconds) throws Exception {
        return Await.value(Duration.ofSeconds(seconds), () -> "the page shows " + what + ":\n"
                + browser.findElement(By.tagName("body")).getText(), () -> browser.findElements(what).stream().findFirst());
    }

    @Test
    void aQuestionAnsweredOnThePageLetsThatVeryRequestThroughAndStopRemovesTheBottle() throws Exception {
        var started = cli().run("start", "asker", "--detach");
        assertThat(started.exitCode()).as(started.err()).isZero();
        String slug = started.out().strip().lines().reduce((x, y) -> y).orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("bottle.it.dist"), "bin", "bottle").toString(),
                "dashboard", "--json", "--no-browser").redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("CLAUDE_BOTTLE_HOME", home.toString());
        pb.environment().put("CLAUDE_BOTTLE_EGRESS_NETWORK", EGRESS);
        pb.directory(work.toFile());
        Process dashboard = pb.start();
        ChromeDriver browser = null;
        try {
            JsonNode printed = JSON.readTree(JSON.getFactory().createParser(dashboard.getInputStream()));
            URI url = URI.create(printed.get("url").asText());
            browser = new ChromeDriver(new ChromeDriverService.Builder()
                    .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build(),
                    new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless=new", "--no-sandbox",
                            "--disable-dev-shm-usage", "--window-size=1200,1000"));
            browser.get(url.toString());
            WebElement row = await(browser, By.cssSelector("#bottles tr[data-slug='" + slug + "']"), 30);
            assertThat(row.getText()).contains("asker").contains("docker").contains("fence: isolation verified");
            row.findElement(By.xpath(".//button[@aria-label='Traffic of " + slug + "']")).click();

            var approvedFetch = fetch(slug, "npm.test");
            WebElement question = await(browser, By.xpath("//li[contains(@class,'question') and not(contains(@class,"
                    + "'decided')) and contains(., 'npm.test:80/left-pad')]"), 90);
            assertThat(question.getText()).contains(slug).contains("resolves to 198.18.9.");
            assertThat(approvedFetch).as("the request waits for the person").isNotDone();
            screenshot(browser, "dashboard-it-question");
            question.findElement(By.xpath(".//button[normalize-space()='Approve']")).click();
            var approved = approvedFetch.get(2, TimeUnit.MINUTES);
            assertThat(approved.out()).as(approved.all()).contains("status=200");
            WebElement answered = await(browser, By.xpath("//li[contains(@class,'decided') and contains(., "
                    + "'npm.test:80/left-pad')]"), 30);
            assertThat(answered.getText()).as("who answered, when, with what scope")
                    .containsPattern("approved by a person at 20\\d\\d-.* \\(scope request\\)");
            // the question's own line first, then the request that passed, both without a reload
            await(browser, By.xpath("//table[@id='traffic']//tr[td[contains(., 'npm.test:80')] and "
                    + "td[normalize-space()='pending']]"), 30);
            WebElement passed = await(browser, By.xpath("//table[@id='traffic']//tr[td[contains(., 'npm.test:80')] "
                    + "and td[normalize-space()='allow']]"), 30);
            assertThat(passed.getText()).contains("GET").contains("/left-pad");
            screenshot(browser, "dashboard-it-traffic");

            var deniedFetch = fetch(slug, "npm-refused.test");
            WebElement refusedQuestion = await(browser, By.xpath("//li[contains(@class,'question') and not(contains("
                    + "@class,'decided')) and contains(., 'npm-refused.test:80')]"), 90);
            refusedQuestion.findElement(By.xpath(".//button[normalize-space()='Deny']")).click();
            var denied = deniedFetch.get(2, TimeUnit.MINUTES);
            assertThat(denied.out()).as(denied.all()).contains("status=403");
            assertThat(JSON.readTree(cli().run("supervise", "ls", "--json", "--all").out()).findValuesAsText("state"))
                    .as("the command line sees the page's answers").contains("approved", "denied");

            WebElement stop = await(browser, By.xpath("//button[@aria-label='Stop " + slug + "']"), 10);
            stop.click();
            stop.click();
            Await.until(Duration.ofSeconds(120), "the bottle removed", () ->
                    Docker.containers("claude-bottle.slug=" + slug).isEmpty()
                            && !cli().run("ls", "--json").out().contains(slug));
            await(browser, By.cssSelector("#records tr[data-slug='" + slug + "']"), 30);
            screenshot(browser, "dashboard-it-stopped");
        } finally {
            if (browser != null) {
                browser.quit();
            }
            dashboard.destroy();
            dashboard.waitFor(30, TimeUnit.SECONDS);
            cli().run("stop", slug);
        }
        assertThat(Files.exists(home.resolve("dashboard.json"))).as("the dashboard left nothing").isFalse();
    }
}
