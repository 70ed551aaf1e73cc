import type { Command } from "./command.ts";
import { profileCommand } from "./profile.ts";
import { mockCommand } from "./mock.ts";
import { queryCommand } from "./query.ts";
import { demoCommand } from "./demo.ts";
import { exportCommand } from "./export.ts";
import { mergeCommand } from "./merge.ts";
import { k8sCommand } from "./k8s.ts";
import { plotCommand } from "./plot.ts";

export const COMMANDS: readonly Command[] = [profileCommand, mockCommand, queryCommand, exportCommand, plotCommand, mergeCommand, k8sCommand, demoCommand];
