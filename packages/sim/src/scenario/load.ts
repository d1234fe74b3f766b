// Loads a scenario TOML file (or the built-in default) and validates it; errors name the file and key path.
import { loadTomlWith, parseTomlText, validateWith } from "@spread/common";
import defaultText from "../../scenarios/default.toml" with { type: "text" };
import { ScenarioSchema, type Scenario, type ScenarioInput } from "./schema.ts";

/** Name used in messages for the scenario compiled into the package (works inside `bun build --compile`). */
export const DEFAULT_SCENARIO_NAME = "packages/sim/scenarios/default.toml";

export function loadScenario(file: string): Scenario {
  return loadTomlWith(file, ScenarioSchema);
}

export function defaultScenario(): Scenario {
  return validateWith(DEFAULT_SCENARIO_NAME, ScenarioSchema, parseTomlText(DEFAULT_SCENARIO_NAME, defaultText as string));
}

/** Validates an in-memory scenario (tests build them as objects); `where` names it in errors. */
export function scenarioFrom(input: ScenarioInput, where = "(inline scenario)"): Scenario {
  return validateWith(where, ScenarioSchema, input);
}
