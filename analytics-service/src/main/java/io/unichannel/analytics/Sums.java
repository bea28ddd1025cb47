package io.unichannel.analytics;

/** What a KPI keeps per window and dimensions: sums that add up exactly across any roll-up. */
public record Sums(long numerator, long denominator, double sum, long count) {

    public static final Sums ZERO = new Sums(0, 0, 0, 0);

    public Sums plus(Sums other) {
        return new Sums(numerator + other.numerator, denominator + other.denominator, sum + other.sum, count + other.count);
    }

    public static Sums ratio(boolean hit) {
        return new Sums(hit ? 1 : 0, 1, 0, 0);
    }

    public static Sums observation(double value) {
        return new Sums(0, 0, value, 1);
    }

    public static Sums gauge(double delta) {
        return new Sums(0, 0, delta, 0);
    }

    public boolean isZero() {
        return numerator == 0 && denominator == 0 && sum == 0 && count == 0;
    }
}
