/**
 * Per-bottle spend: what each Anthropic Messages API response says it used ({@link
 * dev.claudebottle.bundle.spend.UsageMeter} reads it off the body as it streams past, never
 * delaying or holding it), what that costs ({@link dev.claudebottle.bundle.spend.PriceTable}), a
 * bottle's running total ({@link dev.claudebottle.bundle.spend.Spend}) and how it stands against
 * the bottle's budget ({@link dev.claudebottle.bundle.spend.Budget}).
 */
package dev.claudebottle.bundle.spend;
