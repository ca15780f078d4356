package org.carnet;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class CarnetApplication {
    public static void main(String[] args) {
        SpringApplication.run(CarnetApplication.class, args);
    }
}
