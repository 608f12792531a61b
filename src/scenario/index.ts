/** Public API of the scenario runner; see src/scenario/README.md. */
export { defineScenario, type ScenarioDefinition, type ScenarioRunFunction, type ScenarioContext } from './define.js';
export { scenarioLibrary, bugCheckCode, type ScenarioLibrary } from './library.js';
export {
  scenarioOptionsSchema,
  parseScenarioOptions,
  describeOptionIssues,
  CRASH_DUMP_KINDS,
  SCENARIO_DEFAULT_MEMORY,
  type ScenarioOptions,
  type ScenarioOptionsInput,
} from './options.js';
export { parseByteSize, formatByteSize } from './size.js';
export {
  loadScenario,
  prepareScenario,
  scenarioFromDefinition,
  SCENARIO_EXTENSIONS,
  type LoadedScenario,
} from './load.js';
export { createScenarioSystem, scenarioMachineOptions, type DumpProgress } from './machine.js';
export {
  runScenario,
  scenarioDumpPath,
  type RunScenarioOptions,
  type ScenarioRun,
  type ScenarioOutcome,
} from './run.js';
export {
  bugCheckResultJson,
  bugCheckInfoJson,
  callbackJson,
  violationJson,
  scenarioRunJson,
  formatBugCheckResult,
  formatCallbackReports,
  formatDbgPrint,
  type DbgPrintJson,
  type BugCheckResultJson,
  type BugCheckInfoJson,
  type CallbackJson,
  type ViolationJson,
  type ScenarioRunJson,
} from './report.js';
export { ScenarioError, ScenarioErrorCode } from './errors.js';
export {
  cDriverScenario,
  cDriverBaseName,
  DEFAULT_C_BUGCHECK,
  type CDriverBugCheck,
  type CDriverScenario,
  type CDriverScenarioOptions,
} from './cdriver.js';
export { withConsoleOnStderr, setScenarioStdoutRedirect } from './console.js';
