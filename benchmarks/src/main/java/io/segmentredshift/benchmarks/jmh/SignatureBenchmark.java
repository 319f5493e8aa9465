package io.segmentredshift.benchmarks.jmh;

import io.segmentredshift.auth.SignatureVerifier;
import io.segmentredshift.auth.Signer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code X-Signature} verification of a webhook body (about 1 KB of the realistic mix): the
 * receiver's check of every signed request. The baseline is the bare HMAC-SHA1 of the same bytes
 * with a {@link Mac} made once, the cost no verifier can avoid.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SignatureBenchmark {
  private static final String SECRET = "bench-webhook-secret";

  private final SignatureVerifier verifier = SignatureVerifier.of(SECRET);
  private byte[][] bodies;
  private String[] signatures;
  private Mac mac;
  private int next;

  /** The bodies, their signatures and the baseline's MAC. */
  @Setup
  public void setUp() throws GeneralSecurityException {
    bodies = Messages.singles(21);
    Signer signer = Signer.of(SECRET);
    signatures = new String[bodies.length];
    for (int i = 0; i < bodies.length; i++) {
      signatures[i] = signer.sign(bodies[i]);
    }
    mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
  }

  /** {@code SignatureVerifier.verify} of a correctly signed body. */
  @Benchmark
  public void verify() {
    int i = next++ % bodies.length;
    verifier.verify(bodies[i], signatures[i]);
  }

  /** Baseline: the HMAC-SHA1 of the same body, no hex, no comparison. */
  @Benchmark
  public byte[] hmacOnly() {
    return mac.doFinal(bodies[next++ % bodies.length]);
  }
}
