package io.unichannel.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through chromedriver (apt-get install chromium chromium-driver;
 * .ci/run does), at a phone's size or a desk's, signing in on Keycloak's page like a person.
 */
public final class Chromium implements AutoCloseable {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    public final ChromeDriver driver;
    public final WebDriverWait wait;
    private final File profile;

    private Chromium(ChromeDriver driver, File profile) {
        this.driver = driver;
        this.profile = profile;
        // A live page redraws what changed: an element found a moment ago may be gone by the time it is read.
        this.wait = (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(20))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    /** A phone-sized browser (the customer portal). */
    public static Chromium open() throws Exception {
        return open(390, 844);
    }

    public static Chromium open(int width, int height) throws Exception {
        assertThat(new File(CHROMIUM)).as("Debian's chromium (apt-get install chromium chromium-driver; .ci/run does)").exists();
        assertThat(new File(CHROMEDRIVER)).as("Debian's chromium-driver").exists();
        File profile = Files.createTempDirectory("portal-chromium").toFile();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=" + width + "," + height, "--user-data-dir=" + profile.getAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        return new Chromium(new ChromeDriver(service, options), profile);
    }

    /** Opens the portal, signs in on Keycloak's page, and waits for the portal's form. */
    public void signIn(String portalUrl, String username, String password) {
        signIn(portalUrl, username, password, "submit");
    }

    /** Opens a signed-in page, signs in on Keycloak's page, and waits for the element that shows the page is ready. */
    public void signIn(String portalUrl, String username, String password, String readyElementId) {
        driver.get(portalUrl);
        wait.until(d -> !d.findElements(By.id("username")).isEmpty());
        assertThat(driver.getCurrentUrl()).as("Keycloak's sign-in page").contains("/realms/");
        driver.findElement(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("kc-login")).click();
        try {
            wait.until(d -> !d.findElements(By.id(readyElementId)).isEmpty());
        } catch (org.openqa.selenium.TimeoutException e) {
            String page = driver.getPageSource();
            throw new AssertionError("not signed in: at " + driver.getCurrentUrl() + " the page says "
                    + (page == null ? "nothing" : page.substring(0, Math.min(page.length(), 1500))), e);
        }
        assertThat(driver.getCurrentUrl()).startsWith(portalUrl);
    }

    /** The status a request shows in the portal's list (element r-<id>, class status), once it is listed. */
    public String statusOf(String requestId) {
        return wait.until(d -> d.findElements(By.id("r-" + requestId)).stream().findFirst().orElse(null))
                .findElement(By.className("status")).getText();
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile.toPath())) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary profile left behind is harmless
        }
    }
}
