// Error budgets as in the SRE workbook: the budget is the share of requests allowed to be slow
// (1 − objective); the burn rate is how fast it is being spent (1 = exactly used up by the end of
// the window, 2 = twice as fast); what is left is 1 − the burn rate over the whole window.

/** Observed bad share ÷ allowed bad share. */
export function burnRate(goodRatio: number, objectiveRatio: number): number {
  return (1 - goodRatio) / (1 - objectiveRatio);
}

/** Share of the window's budget left: 1 untouched, 0 spent, below 0 overspent. */
export function errorBudgetRemaining(windowGoodRatio: number, objectiveRatio: number): number {
  return 1 - burnRate(windowGoodRatio, objectiveRatio);
}
