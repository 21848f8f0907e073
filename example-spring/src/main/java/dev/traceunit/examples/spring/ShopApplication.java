package dev.traceunit.examples.spring;

import java.time.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A small shop: {@code POST /orders} reserves stock with a remote service and stores the order in H2. */
@SpringBootApplication
public class ShopApplication {

  public static void main(String[] args) {
    SpringApplication.run(ShopApplication.class, args);
  }

  /** How the stock client waits between attempts; tests replace it with one on their mock clock. */
  @Bean
  Backoff backoff() {
    return delay -> Thread.sleep(delay.toMillis());
  }

  /** Waits before a retry. */
  @FunctionalInterface
  public interface Backoff {
    void pause(Duration delay) throws InterruptedException;
  }
}
