package dev.solstice.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A Spark context for a single machine ({@code local[n]}) or a test cluster, bound to the loopback interface
 * with the web UI off: what tests and {@code bin/spark-demo} use. On a real cluster, build the context from
 * {@code spark-submit}'s configuration instead.
 */
public final class LocalSpark {
    private LocalSpark() {}

    /**
     * A context for {@code master} (for example {@code local[2]}) named {@code app}.
     *
     * @param master the master URL
     * @param app the application name
     * @return the context; the caller stops it
     */
    public static JavaSparkContext context(String master, String app) {
        return context(conf(master, app));
    }

    /**
     * The configuration {@link #context(String, String)} uses, for callers that add settings of their own (an
     * executor class path, task retries).
     *
     * @param master the master URL
     * @param app the application name
     * @return the configuration
     */
    public static SparkConf conf(String master, String app) {
        return new SparkConf().setMaster(master).setAppName(app)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.showConsoleProgress", "false");
    }

    /**
     * A context for {@code conf}, logging errors only.
     *
     * @param conf the configuration
     * @return the context; the caller stops it
     */
    public static JavaSparkContext context(SparkConf conf) {
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("ERROR");
        return sc;
    }
}
