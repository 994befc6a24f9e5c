package dev.claudebottle.bundle.spend;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A bottle's spend adds every usage exactly, from any number of threads, and resumes where it stopped. */
class SpendTest {
    private static final Usage SONNET = new Usage("claude-sonnet-4-5-20250929", 1_000, 500, 3_000, 10_000, 1_000);
    private static final Usage HAIKU = Usage.of("claude-haiku-4-5-20251001", 100, 10, 0, 0);

    @Test
    void eachAddGivesTheNewTotalByKindAndPerModel() {
        Spend spend = new Spend(PriceTable.standard());

        spend.add(SONNET);
        spend.add(HAIKU);
        Total total = spend.add(SONNET);

        // two sonnet calls at $0.027 each, and haiku's 100 × $1 + 10 × $5 per million = $0.00015
        assertThat(total).isEqualTo(spend.total());
        assertThat(total.dollars()).isEqualByComparingTo("0.05415");
        assertThat(total.inputTokens()).isEqualTo(2_100);
        assertThat(total.outputTokens()).isEqualTo(1_010);
        assertThat(total.cacheWrite5mTokens()).isEqualTo(4_000);
        assertThat(total.cacheWrite1hTokens()).isEqualTo(2_000);
        assertThat(total.cacheReadTokens()).isEqualTo(20_000);
        assertThat(total.tokens()).isEqualTo(2 * SONNET.total() + HAIKU.total());
        assertThat(spend.byModel()).containsOnlyKeys(SONNET.model(), HAIKU.model());
        assertThat(spend.byModel().get(SONNET.model()).dollars()).isEqualByComparingTo("0.054");
        assertThat(spend.byModel().get(HAIKU.model()).tokens()).isEqualTo(110);
    }

    @Test
    void addsFromEightThreadsAtOnceAddUpExactly() throws Exception {
        Spend spend = new Spend(PriceTable.standard());
        int threads = 8;
        int each = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Void>> adders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Usage usage = t % 2 == 0 ? SONNET : HAIKU;
                adders.add(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        spend.add(usage);
                    }
                    return null;
                });
            }
            List<Future<Void>> running = new ArrayList<>();
            adders.forEach(adder -> running.add(pool.submit(adder)));
            start.countDown();
            for (Future<Void> adder : running) {
                adder.get();
            }
        } finally {
            pool.shutdown();
        }

        long calls = (long) threads / 2 * each;
        assertThat(spend.total().tokens()).isEqualTo(calls * (SONNET.total() + HAIKU.total()));
        assertThat(spend.total().dollars()).isEqualByComparingTo(new BigDecimal("0.02715").multiply(BigDecimal.valueOf(calls)));
        assertThat(spend.byModel().get(HAIKU.model()).outputTokens()).isEqualTo(calls * 10);
    }

    @Test
    void aResumedSpendStartsFromThePreviousTotal() {
        Total previous = new Total(1, 2, 3, 4, 5, new BigDecimal("4.10"));

        Total total = Spend.resume(PriceTable.standard(), previous).add(HAIKU);

        assertThat(total).isEqualTo(new Total(101, 12, 3, 4, 5, new BigDecimal("4.10015")));
    }

    @Test
    void spendIsPricedByItsOwnTable() {
        Spend spend = new Spend(PriceTable.standard().with(Map.of("claude-haiku-4-5", Price.of("10", "50"))));

        assertThat(spend.add(HAIKU).dollars()).isEqualByComparingTo("0.0015");
    }

    @Test
    void modelsPastTheCapAreKeptTogether() {
        Spend spend = new Spend(PriceTable.standard());
        for (int i = 0; i < Spend.MODELS + 10; i++) {
            spend.add(Usage.of("claude-haiku-4-5-" + i, 1, 0, 0, 0));
        }

        assertThat(spend.byModel()).hasSize(Spend.MODELS + 1);
        assertThat(spend.byModel().get(Spend.OTHER_MODELS).inputTokens()).isEqualTo(10);
        assertThat(spend.total().inputTokens()).isEqualTo(Spend.MODELS + 10);
    }
}
