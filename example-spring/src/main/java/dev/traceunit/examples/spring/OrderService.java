package dev.traceunit.examples.spring;

import io.micrometer.observation.annotation.Observed;
import org.springframework.stereotype.Service;

/** Places an order: reserves the stock remotely, then stores the order. */
@Service
public class OrderService {

  private final StockClient stock;
  private final OrderRepository repository;

  OrderService(StockClient stock, OrderRepository repository) {
    this.stock = stock;
    this.repository = repository;
  }

  @Observed(name = "order.place", contextualName = "place order")
  public Order place(String sku, int quantity) {
    stock.reserve(sku, quantity);
    return repository.insert(sku, quantity);
  }
}
