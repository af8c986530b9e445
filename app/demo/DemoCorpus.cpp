// app/demo/DemoCorpus.cpp — placeholder, being written.
#include "demo/DemoCorpus.h"
