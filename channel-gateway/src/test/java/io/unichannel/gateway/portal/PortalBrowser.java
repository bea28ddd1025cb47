package io.unichannel.gateway.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Debian's headless Chromium at a phone's size, driven through chromedriver, signed in to the customer portal. */
public final class PortalBrowser implements AutoCloseable {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    public final ChromeDriver driver;
    public final WebDriverWait wait;
    private final File profile;

    private PortalBrowser(ChromeDriver driver, File profile) {
        this.driver = driver;
        this.profile = profile;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    public static PortalBrowser open() throws Exception {
        assertThat(new File(CHROMIUM)).as("Debian's chromium (apt-get install chromium chromium-driver; .ci/run does)").exists();
        assertThat(new File(CHROMEDRIVER)).as("Debian's chromium-driver").exists();
        File profile = Files.createTempDirectory("portal-chromium").toFile();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=390,844", "--user-data-dir=" + profile.getAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build();
        return new PortalBrowser(new ChromeDriver(service, options), profile);
    }

    /** Opens the portal, signs in on Keycloak's page, and waits for the portal's form. */
    public void signIn(String portalUrl, String username, String password) {
        driver.get(portalUrl);
        wait.until(d -> !d.findElements(By.id("username")).isEmpty());
        assertThat(driver.getCurrentUrl()).as("Keycloak's sign-in page").contains("/realms/");
        driver.findElement(By.id("username")).sendKeys(username);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("kc-login")).click();
        wait.until(d -> !d.findElements(By.id("submit")).isEmpty());
        assertThat(driver.getCurrentUrl()).startsWith(portalUrl);
    }

    /** The status a request shows in the portal's list, once it is listed. */
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
