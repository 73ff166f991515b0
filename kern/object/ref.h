/* References: objects holding one link, their target. Not referencable, no hash. */
#ifndef KERN_OBJECT_REF_H
#define KERN_OBJECT_REF_H

#include "object/object.h"
#include "object/link.h"

struct ref {
	struct object ob;
	struct link link;
};

#endif
