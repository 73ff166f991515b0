/*
 * Each space's mappings of nonzero size, in an AVL tree ordered by start address,
 * so a fault finds its mapping in O(log n) however many a pager has made (the
 * space's list still holds every mapping, for walks). Invariant: m is in
 * m->space->by_va iff m->space is set and m->size is not 0; mappings in one tree
 * never overlap, so their start addresses differ.
 */
#ifndef KERN_VM_MTREE_H
#define KERN_VM_MTREE_H

#include <stdint.h>

struct mapping;

void mtree_insert(struct mapping **root, struct mapping *m);
void mtree_remove(struct mapping **root, struct mapping *m);
/* The mapping with the greatest start address at or below va, or NULL. */
struct mapping *mtree_floor(struct mapping *root, uint32_t va);

#endif
