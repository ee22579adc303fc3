import type { Command } from './command.ts';
import ack from './ack.ts';
import arrive from './arrive.ts';
import assign from './assign.ts';
import backup from './backup.ts';
import cancel from './cancel.ts';
import close from './close.ts';
import confirm from './confirm.ts';
import dispatch from './dispatch.ts';
import help from './help.ts';
import inspected from './inspected.ts';
import level from './level.ts';
import merge from './merge.ts';
import split from './split.ts';
import mine from './mine.ts';
import note from './note.ts';
import pause from './pause.ts';
import { agree, decline, resume } from './consent.ts';
import rate from './rate.ts';
import reload from './reload.ts';
import reopen from './reopen.ts';
import reply from './reply.ts';
import resolve from './resolve.ts';
import status from './status.ts';
import todo from './todo.ts';
import whoami from './whoami.ts';

/**
 * Every chat command, in the order 帮助 and the README list them. A new command is one file in
 * this folder and one line here.
 */
export const COMMANDS: readonly Command[] = [
  ack,
  assign,
  dispatch,
  arrive,
  resolve,
  backup,
  level,
  pause,
  resume,
  merge,
  split,
  reply,
  note,
  close,
  reopen,
  todo,
  inspected,
  reload,
  status,
  mine,
  confirm,
  agree,
  decline,
  rate,
  cancel,
  help,
  whoami,
];
