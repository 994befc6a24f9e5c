package dev.claudebottle.bundle.spend;

import java.util.Objects;

/**
 * The price a model is charged at and where it came from.
 *
 * @param family the family whose price applies: the longest one the model id starts with, or the
 *     dearest family when none does
 * @param price that family's price
 * @param guessed whether no family matched the model, so it is priced at the dearest family
 *     rather than at nothing
 */
public record Priced(String family, Price price, boolean guessed) {
    public Priced {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(price, "price");
    }
}
