package dev.traceunit.examples.spring;

import dev.traceunit.examples.spring.ShopApplication.Backoff;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;

/**
 * Reserves stock at the stock service ({@code shop.stock.url}) through {@link RestClient}: a 5xx
 * answer is retried up to {@value #ATTEMPTS} attempts, waiting 200 ms, then 400 ms.
 */
@Component
class StockClient {

  static final int ATTEMPTS = 3;
  static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

  private final RestClient client;
  private final Backoff backoff;

  StockClient(RestClient.Builder builder, @Value("${shop.stock.url}") String url, Backoff backoff) {
    this.client = builder.baseUrl(url).build();
    this.backoff = backoff;
  }

  void reserve(String sku, int quantity) {
    for (int attempt = 1; ; attempt++) {
      try {
        client.post().uri("/stock/{sku}/reservations?quantity={quantity}", sku, quantity).retrieve().toBodilessEntity();
        return;
      } catch (HttpServerErrorException e) {
        if (attempt == ATTEMPTS) {
          throw e;
        }
        pause(FIRST_BACKOFF.multipliedBy(1L << (attempt - 1)));
      }
    }
  }

  private void pause(Duration delay) {
    try {
      backoff.pause(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry the stock call", e);
    }
  }
}
