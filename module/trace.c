// SPDX-License-Identifier: GPL-2.0
/* The shadowipc tracepoints, defined here once (see trace.h). */
#define CREATE_TRACE_POINTS
#include "trace.h"
