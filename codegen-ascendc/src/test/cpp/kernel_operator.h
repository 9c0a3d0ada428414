// TEST STAND-IN: the CANN header name generated kernels include, resolved here to Tessera's CPU stand-in.
#include "ascendc_standin.h"
